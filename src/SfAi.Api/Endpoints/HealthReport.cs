namespace SfAi.Api.Endpoints;

/// <summary>What <c>/health</c> answers: liveness and the state of the model map. No secrets, no key material.</summary>
internal sealed record HealthReport(string Status, ModelMapHealth ModelMap);

internal sealed record ModelMapHealth(
    bool Loaded, string Source, string? Version, DateTimeOffset? LoadedAt, int Aliases, string? LastError, DateTimeOffset? LastErrorAt);
