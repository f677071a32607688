using SfAi.Api.Logging;
using SfAi.Core.Access;
using SfAi.Core.Configuration;

namespace SfAi.Api.Configuration;

/// <summary>
/// Loads the model map (and the keys file, when keys are required) before the gateway serves its first request —
/// without them it does not start, and says why — then looks for new versions at every refresh interval. A new
/// version that breaks a rule, or a source that cannot be read, keeps the last good one and logs <c>config_error</c>.
/// </summary>
internal sealed class ConfigRefreshService : BackgroundService
{
    private readonly IReadOnlyList<IReloadableConfig> _configs;
    private readonly GatewayEventLog _log;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;

    public ConfigRefreshService(
        ReloadableConfig<Core.ModelMap.ModelMap> modelMap, ReloadableConfig<ApiKeySet> keys,
        GatewayEventLog log, GatewayOptions options, TimeProvider time)
    {
        _configs = options.RequireKeys ? [modelMap, keys] : [modelMap];
        _log = log;
        _options = options;
        _time = time;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var config in _configs)
        {
            await config.LoadInitialAsync(cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ModelMapRefreshInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var config in _configs)
            {
                var result = await config.RefreshAsync(stoppingToken);
                if (result.Outcome is ConfigRefreshOutcome.Rejected or ConfigRefreshOutcome.Unreachable)
                {
                    _log.ConfigError(config.Source, result.Problem ?? result.Outcome.ToString());
                }
            }
        }
    }
}
