using SfAi.Core.Access;
using SfAi.Core.Exchange;
using SfAi.Core.Protocols;
using SfAi.Core.Providers;
using SfAi.Core.Usage;

namespace SfAi.Core.RateLimiting;

/// <summary>
/// The caller's tokens per minute (<c>tpm</c>): the prompt's estimate is reserved before the call, and corrected to the
/// real input and output tokens after it.
/// </summary>
public sealed class TokenLimitGuard : IUsageGuard
{
    private readonly RateLimiter _limiter;

    public TokenLimitGuard(RateLimiter limiter) => _limiter = limiter;

    public async ValueTask<UsageHold?> ReserveAsync(AccessGrant grant, ChatCall call, CancellationToken cancellationToken)
    {
        if (grant.TokensPerMinute is null)
        {
            return null;
        }
        var reservation = await _limiter.ReserveTokensAsync(grant, PromptEstimate.Of(call), cancellationToken);
        return reservation is null ? null : new TokenHold(_limiter, reservation);
    }

    private sealed class TokenHold(RateLimiter limiter, TokenReservation reservation) : UsageHold
    {
        public override IReadOnlyDictionary<string, string> Headers { get; } = RateLimitHeaders.For("tokens", reservation.State);

        public override string Subject => reservation.Counter;

        public override ValueTask SettleAsync(UsageSpent spent, CancellationToken cancellationToken) =>
            limiter.SettleAsync(reservation, spent.Tokens ?? reservation.Reserved, cancellationToken);
    }
}
