using System.Runtime.ExceptionServices;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// One deployment's resilience around each call (<see cref="ProviderResilience"/> says what it does and why): the
/// circuit is asked once per call and told the call's final outcome; inside it, the tries and the waits between them.
/// It is one loop rather than a chain of library strategies because it sits on every request's path: the chain cost a
/// pass-through request about a tenth of its CPU (bench/run.sh).
/// </summary>
public sealed class DeploymentPipeline
{
    private readonly RetryPolicy _retry;
    private readonly RetryBudget _budget;
    private readonly DeploymentCircuit _circuit;
    private readonly TimeProvider _time;
    private readonly Action<int, string, TimeSpan> _onRetry;

    internal DeploymentPipeline(
        string name, RetryPolicy retry, RetryBudget budget, DeploymentCircuit circuit, TimeProvider time, Action<int, string, TimeSpan> onRetry)
    {
        Name = name;
        _retry = retry;
        _budget = budget;
        _circuit = circuit;
        _time = time;
        _onRetry = onRetry;
    }

    /// <summary><c>provider/model</c>.</summary>
    public string Name { get; }

    internal RetryBudget Budget => _budget;

    internal DeploymentCircuit Circuit => _circuit;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or may not be tried again, and returns its last response or
    /// throws its last exception. An open circuit is a 503 <c>circuit_open</c> naming the deployment, with the break's
    /// remaining seconds. A try cancelled because the whole <paramref name="call"/> ended says nothing about the
    /// deployment; one that timed out on its own does.
    /// </summary>
    public async Task<HttpResponseMessage> ExecuteAsync<TState>(
        Func<TState, Task<HttpResponseMessage>> attempt, TState state, IUpstreamCall call)
    {
        if (!_circuit.TryEnter(out var breakLeft))
        {
            throw new GatewayException(GatewayError.CircuitOpen(Name, (int)Math.Max(1, Math.Ceiling(breakLeft.TotalSeconds))));
        }
        var failed = false;
        try
        {
            for (var retries = 0; ; retries++)
            {
                HttpResponseMessage? response = null;
                Exception? exception = null;
                try
                {
                    response = await attempt(state);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    exception = ex;
                }
                if (retries < _retry.Attempts && RetryWait(response, exception, retries) is { } wait)
                {
                    _budget.TrySpend();
                    _onRetry(retries + 1, response is not null ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : exception!.Message, wait);
                    response?.Dispose();
                    call.WaitingToRetry();
                    await Task.Delay(wait, _time, call.Token);
                    continue;
                }
                failed = ProviderResilience.IsBreakerFailure(response, exception, call.Ended);
                if (exception is not null)
                {
                    ExceptionDispatchInfo.Throw(exception);
                }
                return response!;
            }
        }
        finally
        {
            _circuit.Record(failed);
        }
    }

    /// <summary>How long to wait before trying again; <c>null</c> when the outcome is final.</summary>
    private TimeSpan? RetryWait(HttpResponseMessage? response, Exception? exception, int retries)
    {
        if (!ProviderResilience.IsTransient(response, exception) || !_budget.CanRetry)
        {
            return null;
        }
        var asked = ProviderResilience.RetryAfter(response, _time.GetUtcNow());
        if (asked > ProviderResilience.MaxRetryAfter)
        {
            return null;
        }
        return asked ?? Backoff(retries);
    }

    /// <summary>Exponential from the base delay, each wait drawn between half and one and a half times its step, at most <see cref="ProviderResilience.MaxRetryAfter"/>.</summary>
    private TimeSpan Backoff(int retries)
    {
        var step = _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, retries);
        var drawn = step * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(drawn, ProviderResilience.MaxRetryAfter.TotalMilliseconds));
    }
}
