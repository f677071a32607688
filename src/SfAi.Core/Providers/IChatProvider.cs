namespace SfAi.Core.Providers;

/// <summary>
/// One upstream protocol. A provider answers the client through the sink and returns the outcome;
/// a failure before anything reached the client is thrown as a <see cref="Errors.GatewayException"/>.
/// </summary>
public interface IChatProvider
{
    Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken);
}
