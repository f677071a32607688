using SfAi.Core.Protocols;

namespace SfAi.Core.Providers;

/// <summary>
/// One upstream protocol. A provider answers the client through the sink and returns the outcome;
/// a failure before anything reached the client is thrown as a <see cref="Errors.GatewayException"/>.
/// </summary>
public interface IChatProvider
{
    /// <summary>
    /// Whether the provider answers a request of <paramref name="protocol"/> in that protocol itself, passing the client's
    /// body through; otherwise it is given the pivot (<see cref="ChatCall.Request"/>) and answers in OpenAI chat form.
    /// </summary>
    bool Speaks(WireProtocol protocol) => false;

    Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken);
}
