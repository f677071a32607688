using System.Globalization;
using SfAi.Core.Access;
using SfAi.Core.Errors;
using SfAi.Core.Exchange;
using SfAi.Core.Pricing;
using SfAi.Core.Protocols;
using SfAi.Core.Providers;
using SfAi.Core.RateLimiting;
using SfAi.Core.Usage;

namespace SfAi.Core.Budgets;

/// <summary>
/// Money budgets: the caller's (a key's, the anonymous callers', each Supabase user's) per UTC day and month, and the
/// gateway's per month (<c>BUDGET_MONTHLY_USD</c>). A call is let through while the spend is under every budget that
/// applies, and its real cost (cache-priced, streams included) is added when it ends; a strict budget first reserves
/// the call's worst case (the prompt's estimate and <c>max_tokens</c> at the model's prices). Spend is counted in the
/// shared counter store, in billionths of a dollar, so every instance enforces the same budget.
/// </summary>
public sealed class BudgetGuard : IUsageGuard
{
    public const string RemainingHeader = "x-budget-remaining-usd";

    /// <summary>The output a strict budget reserves for when neither the request nor the alias says.</summary>
    public const int DefaultWorstCaseOutputTokens = 4_096;

    private const decimal NanosPerUsd = 1_000_000_000m;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly IRateLimitStore _store;
    private readonly TimeProvider _time;
    private readonly decimal? _gatewayMonthlyUsd;

    public BudgetGuard(IRateLimitStore store, TimeProvider time, decimal? gatewayMonthlyUsd)
    {
        _store = store;
        _time = time;
        _gatewayMonthlyUsd = gatewayMonthlyUsd;
    }

    public async ValueTask<UsageHold?> ReserveAsync(AccessGrant grant, ChatCall call, CancellationToken cancellationToken)
    {
        var limits = Limits(grant, _time.GetUtcNow());
        if (limits.Count == 0)
        {
            return null;
        }
        var worstCase = grant.Budget is { Strict: true } ? Nanos(WorstCase(call)) : 0;
        var taken = new List<Taken>(limits.Count);
        try
        {
            foreach (var limit in limits)
            {
                // A budget that is not strict only asks whether the spend is still under it: one billionth of a dollar,
                // given back when the call settles to its cost.
                var amount = limit.Strict ? Math.Max(1, worstCase) : 1;
                var result = await _store.TryAddAsync(limit.Counter, amount, limit.LimitNanos, limit.Window, cancellationToken);
                if (!result.Added)
                {
                    throw Exceeded(limit, result.Count, amount);
                }
                if (result.Counted)
                {
                    taken.Add(new Taken(limit, amount, result.Count));
                }
            }
        }
        catch
        {
            foreach (var held in taken)
            {
                await _store.AdjustAsync(held.Limit.Counter, -held.Reserved, held.Limit.Window, CancellationToken.None);
            }
            throw;
        }
        return taken.Count == 0 ? null : new BudgetHold(_store, taken);
    }

    /// <summary>
    /// Each budget of <paramref name="owners"/> (callers whose grant carries one), then the gateway's, with what has been
    /// spent in its current window: what the next call will be checked against.
    /// </summary>
    public async Task<IReadOnlyList<BudgetStatus>> StatusAsync(IEnumerable<AccessGrant> owners, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var limits = owners.SelectMany(owner => Limits(owner, now, withGateway: false).Select(limit => (owner.BudgetScope, owner.BudgetName, limit)))
            .Concat(Limits(AccessGrant.Open with { Budget = null }, now).Select(limit => ("gateway", (string?)null, limit)));
        var statuses = new List<BudgetStatus>();
        foreach (var (scope, name, limit) in limits)
        {
            var spent = await _store.ReadAsync(limit.Counter, limit.Window, cancellationToken);
            statuses.Add(new BudgetStatus(scope, name, limit.Period, limit.LimitUsd, spent is { } nanos ? nanos / NanosPerUsd : null,
                limit.Window.End, limit.Strict));
        }
        return statuses;
    }

    /// <summary>The budgets that apply to <paramref name="grant"/> now, with their current windows.</summary>
    private List<BudgetLimit> Limits(AccessGrant grant, DateTimeOffset now, bool withGateway = true)
    {
        var limits = new List<BudgetLimit>(3);
        var day = RateWindow.Containing(now, Day);
        var monthStart = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var month = new RateWindow(monthStart, monthStart.AddMonths(1) - monthStart);
        if (grant.Budget is { } budget)
        {
            if (budget.DailyUsd is { } daily)
            {
                limits.Add(new BudgetLimit($"budget:{grant.LimitKey}:day", daily, day, "daily", grant.LimitOwner, budget.Strict));
            }
            if (budget.MonthlyUsd is { } monthly)
            {
                limits.Add(new BudgetLimit($"budget:{grant.LimitKey}:month", monthly, month, "monthly", grant.LimitOwner, budget.Strict));
            }
        }
        if (withGateway && _gatewayMonthlyUsd is { } gateway)
        {
            limits.Add(new BudgetLimit("budget:gateway:month", gateway, month, "monthly", "the gateway", Strict: false));
        }
        return limits;
    }

    /// <summary>The most the call can cost: the prompt's estimate and the most output it may produce, at the model's prices (nothing when unpriced).</summary>
    private static decimal WorstCase(ChatCall call)
    {
        if (call.Route.Price is not { } price)
        {
            return 0;
        }
        var maxOutput = call.Inbound.Protocol == WireProtocol.OpenAIEmbeddings
            ? 0
            : call.Inbound.MaxOutputTokens ?? call.Route.MaxOutputTokens ?? DefaultWorstCaseOutputTokens;
        return CostCalculator.Cost(new TokenUsage(PromptEstimate.Of(call), maxOutput, Estimated: true), price);
    }

    private GatewayException Exceeded(BudgetLimit limit, long spentNanos, long requested)
    {
        var resetIn = limit.Window.End - _time.GetUtcNow();
        var retryAfter = Math.Max(1, (long)Math.Ceiling(resetIn.TotalSeconds));
        var spent = spentNanos < 0 ? "an unknown amount" : Usd(spentNanos);
        var strictNote = requested > 1 ? $" (this call may cost up to {Usd(requested)}, and its budget is strict)" : "";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Budget reached for {limit.Owner}: its {limit.Period} budget is {Usd(limit.LimitUsd)}, and {spent} has been spent{strictNote}. It resets at {limit.Window.End.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        return new GatewayException(new GatewayError(429, "insufficient_quota", "insufficient_quota", null, message, ErrorKinds.BudgetExceeded)
        {
            RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture),
            Headers = new Dictionary<string, string> { [RemainingHeader] = "0" },
        });
    }

    private static long Nanos(decimal usd) => (long)Math.Ceiling(usd * NanosPerUsd);

    private static string Usd(long nanos) => Usd(nanos / NanosPerUsd);

    private static string Usd(decimal usd) => "$" + usd.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed record BudgetLimit(string Counter, decimal LimitUsd, RateWindow Window, string Period, string Owner, bool Strict)
    {
        public long LimitNanos => Nanos(LimitUsd);
    }

    private sealed record Taken(BudgetLimit Limit, long Reserved, long CountAfter);

    private sealed class BudgetHold(IRateLimitStore store, List<Taken> taken) : UsageHold
    {
        public override IReadOnlyDictionary<string, string> Headers { get; } = new Dictionary<string, string>
        {
            [RemainingHeader] = (taken.Min(t => Math.Max(0, t.Limit.LimitNanos - t.CountAfter)) / NanosPerUsd)
                .ToString("0.######", CultureInfo.InvariantCulture),
        };

        public override string Subject => string.Join(", ", taken.Select(t => t.Limit.Counter));

        /// <summary>Each budget ends up charged the call's cost; an unknown cost keeps what was reserved.</summary>
        public override async ValueTask SettleAsync(UsageSpent spent, CancellationToken cancellationToken)
        {
            foreach (var held in taken)
            {
                var charged = spent.CostUsd is { } cost ? Nanos(cost) : held.Reserved;
                if (charged != held.Reserved)
                {
                    await store.AdjustAsync(held.Limit.Counter, charged - held.Reserved, held.Limit.Window, cancellationToken);
                }
            }
        }
    }
}
