using SfAi.Core.Configuration;

namespace SfAi.Api.Endpoints;

/// <summary>What <c>/health</c> answers: liveness and the state of the configuration files. No secrets, no key material.</summary>
internal sealed record HealthReport(string Status, ModelMapHealth ModelMap, ConfigHealth? Keys, IReadOnlyDictionary<string, ProviderHealth> Providers);

/// <summary>A deployment's circuit (keyed <c>provider/model</c> under <c>providers</c>): <c>closed</c> (calls go through), <c>open</c> (failing: calls stop for a while), <c>half-open</c> (trying again).</summary>
internal sealed record ProviderHealth(string Circuit);

internal sealed record ModelMapHealth(
    bool Loaded, string Source, string? Version, DateTimeOffset? LoadedAt, int Aliases, string? LastError, DateTimeOffset? LastErrorAt);

/// <summary>The state of the keys file (never its content).</summary>
internal sealed record ConfigHealth(bool Loaded, string Source, string? Version, DateTimeOffset? LoadedAt, string? LastError, DateTimeOffset? LastErrorAt)
{
    public static ConfigHealth From(ConfigStatus status) =>
        new(status.Loaded, status.Source, status.Version, status.LoadedAt, status.LastError, status.LastErrorAt);
}
