using SfAi.Core.Access;
using SfAi.Core.Providers;

namespace SfAi.Core.Exchange;

/// <summary>
/// A policy on what a caller may use (tokens per minute, money budgets): it reserves before the call goes
/// upstream, and the <see cref="UsageHold"/> it returns is settled with what the call really used.
/// </summary>
public interface IUsageGuard
{
    /// <summary>Reserves what <paramref name="call"/> may use; <c>null</c> when the guard holds nothing for this caller.</summary>
    /// <exception cref="Errors.GatewayException">The caller may not spend it now (429), or the guard cannot tell and fails closed (503).</exception>
    ValueTask<UsageHold?> ReserveAsync(AccessGrant grant, ChatCall call, CancellationToken cancellationToken);
}

/// <summary>What a guard reserved for one call, settled once when the call ends.</summary>
public abstract class UsageHold
{
    /// <summary>Response headers telling the caller where it stands (<c>x-ratelimit-*-tokens</c>).</summary>
    public virtual IReadOnlyDictionary<string, string> Headers => EmptyHeaders;

    /// <summary>What the hold is on, for the warning of a settlement that failed.</summary>
    public abstract string Subject { get; }

    /// <summary>Corrects the reservation to what the call spent.</summary>
    public abstract ValueTask SettleAsync(UsageSpent spent, CancellationToken cancellationToken);

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();
}

/// <summary>What a call spent, as far as the gateway knows it.</summary>
/// <param name="Tokens">Input and output tokens; <c>null</c> when unknown (a stream that failed or that the client left:
/// the upstream had the prompt, so the reservation is kept).</param>
/// <param name="CostUsd">What the tokens cost; <c>null</c> when unknown (no price for the model, or the tokens unknown).</param>
public readonly record struct UsageSpent(int? Tokens, decimal? CostUsd = null)
{
    /// <summary>Nothing reached the upstream model, or it answered nothing: the reservation goes back.</summary>
    public static readonly UsageSpent Nothing = new(0, 0m);

    public static readonly UsageSpent Unknown = new(null);
}
