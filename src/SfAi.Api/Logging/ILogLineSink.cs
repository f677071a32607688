namespace SfAi.Api.Logging;

/// <summary>Where a log line rendered by the gateway itself (compact JSON, newline included) goes, in order with Serilog's.</summary>
internal interface ILogLineSink
{
    /// <summary>Takes a line; <paramref name="utf8Line"/> is only valid during the call (a sink copies what it keeps).</summary>
    void WriteLine(ReadOnlySpan<byte> utf8Line);
}
