using SfAi.Api.Configuration;
using SfAi.Api.Logging;
using SfAi.Core.ModelMap;

namespace SfAi.Api.ModelMap;

/// <summary>
/// Loads the model map before the gateway serves its first request (no map: the gateway does not start, and says why),
/// then looks for a new version at every refresh interval. A new version that breaks a rule, or a source that cannot be
/// read, keeps the last good map and logs <c>config_error</c>.
/// </summary>
internal sealed class ModelMapRefreshService : BackgroundService
{
    private readonly ModelMapLoader _loader;
    private readonly GatewayEventLog _log;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;

    public ModelMapRefreshService(ModelMapLoader loader, GatewayEventLog log, GatewayOptions options, TimeProvider time)
    {
        _loader = loader;
        _log = log;
        _options = options;
        _time = time;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _loader.LoadInitialAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ModelMapRefreshInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var result = await _loader.RefreshAsync(stoppingToken);
            if (result.Outcome is ModelMapRefreshOutcome.Rejected or ModelMapRefreshOutcome.Unreachable)
            {
                _log.ConfigError(_loader.Source, result.Problem ?? result.Outcome.ToString());
            }
        }
    }
}
