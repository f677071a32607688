namespace SfAi.Core.Providers;

/// <summary>
/// A write to the client failed because the client is gone. Thrown by the response sink so that no provider mistakes
/// it for an upstream failure: the call ends as <c>client_closed</c>, the upstream call is cancelled, nothing more is written.
/// </summary>
public sealed class ClientClosedException : Exception
{
    public ClientClosedException(Exception inner)
        : base("The client closed the connection while the gateway was writing to it.", inner)
    {
    }
}
