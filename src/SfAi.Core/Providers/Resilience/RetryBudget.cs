namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// Bounds retries to a share of the traffic, so a provider outage does not multiply the load on it: each call
/// deposits <see cref="DepositPerCall"/> of a retry, each retry spends one, and the balance never exceeds
/// <see cref="Capacity"/> (which is also where it starts, so a quiet gateway can still retry a burst of failures).
/// </summary>
public sealed class RetryBudget
{
    public const double DepositPerCall = 0.2;
    public const double Capacity = 10;
    private readonly Lock _gate = new();
    private double _balance = Capacity;

    public double Balance
    {
        get
        {
            lock (_gate)
            {
                return _balance;
            }
        }
    }

    public void RecordCall()
    {
        lock (_gate)
        {
            _balance = Math.Min(Capacity, _balance + DepositPerCall);
        }
    }

    public bool CanRetry
    {
        get
        {
            lock (_gate)
            {
                return _balance >= 1;
            }
        }
    }

    /// <summary>Spends one retry; false when the budget is spent.</summary>
    public bool TrySpend()
    {
        lock (_gate)
        {
            if (_balance < 1)
            {
                return false;
            }
            _balance -= 1;
            return true;
        }
    }
}
