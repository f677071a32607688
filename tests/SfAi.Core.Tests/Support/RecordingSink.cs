using System.Text;
using SfAi.Core.Providers;

namespace SfAi.Core.Tests.Support;

/// <summary>Records what a provider sends to the client.</summary>
internal sealed class RecordingSink : IChatResponseSink
{
    public bool HasStarted { get; private set; }

    public int? JsonStatus { get; private set; }

    public string? Json { get; private set; }

    public int EventStreamsStarted { get; private set; }

    public List<string> Events { get; } = [];

    public ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        Assert.False(HasStarted, "a JSON body was written after the response had started");
        HasStarted = true;
        JsonStatus = status;
        Json = Encoding.UTF8.GetString(json.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask StartEventStreamAsync(CancellationToken cancellationToken)
    {
        HasStarted = true;
        EventStreamsStarted++;
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteEventAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Assert.Equal(1, EventStreamsStarted);
        Events.Add(Encoding.UTF8.GetString(data.Span));
        return ValueTask.CompletedTask;
    }
}
