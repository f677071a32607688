namespace SfAi.Api.Logging;

/// <summary>
/// In AWS Lambda, where the process may be frozen as soon as the invocation answers, a rendered line is written to
/// stdout before the request goes on, as Serilog's console sink writes its lines there.
/// </summary>
internal sealed class StdoutLineSink : ILogLineSink
{
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Lock _writing = new();

    public void WriteLine(ReadOnlySpan<byte> utf8Line)
    {
        lock (_writing)
        {
            _stdout.Write(utf8Line);
            _stdout.Flush();
        }
    }
}
