namespace SfAi.Api.Logging;

/// <summary>Where a log line rendered by the gateway itself (compact JSON, newline included) goes, in order with Serilog's.</summary>
internal interface ILogLineSink
{
    void WriteLine(byte[] utf8Line);
}
