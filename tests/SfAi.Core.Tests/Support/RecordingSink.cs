using System.Text;
using SfAi.Core.Errors;
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

    /// <summary>The <c>event:</c> name of each event in <see cref="Events"/> (null for a data-only event).</summary>
    public List<string?> EventNames { get; } = [];

    public ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Assert.Equal(1, EventStreamsStarted);
        EventNames.Add(name);
        Events.Add(Encoding.UTF8.GetString(data.Span));
        return ValueTask.CompletedTask;
    }

    /// <summary>An error event as an OpenAI chat client gets it.</summary>
    public ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken) =>
        WriteEventAsync(null, OpenAIErrorBody.ToUtf8(error), cancellationToken);
}
