namespace SfAi.Core.Providers.Resilience;

/// <summary>What a <see cref="DeploymentPipeline"/> needs of the call it runs (<see cref="UpstreamExchange"/>).</summary>
public interface IUpstreamCall
{
    /// <summary>Cancelled when the client leaves or a timeout ends the try or the call.</summary>
    CancellationToken Token { get; }

    /// <summary>Whether the whole call is over (the client left, or its total time is used up), as opposed to one try timing out.</summary>
    bool Ended { get; }

    /// <summary>Told before the wait between two tries.</summary>
    void WaitingToRetry();
}
