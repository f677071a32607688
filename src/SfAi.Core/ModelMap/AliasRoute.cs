using System.Text.Json.Nodes;
using SfAi.Core.Pricing;

namespace SfAi.Core.ModelMap;

/// <summary>Where an alias goes: a provider, the upstream model, and what the gateway adds to the request.</summary>
/// <param name="Alias">The name clients send as <c>model</c>.</param>
/// <param name="Provider">The provider that serves it.</param>
/// <param name="UpstreamModel">The model name sent upstream.</param>
/// <param name="Defaults">Fields applied only when the client did not send them.</param>
/// <param name="Rewrite">Fixes applied last, for upstreams that differ.</param>
/// <param name="Price">The price of the upstream model (alias override, map table, or built-in table), if known.</param>
/// <param name="MaxOutputTokens">The upstream model's maximum output, for providers that require <c>max_tokens</c>.</param>
public sealed record AliasRoute(
    string Alias,
    ProviderDefinition Provider,
    string UpstreamModel,
    JsonObject Defaults,
    RequestRewrite Rewrite,
    ModelPrice? Price,
    int? MaxOutputTokens)
{
    /// <summary>Aliases tried in order when this one fails before anything reached the client.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>The endpoint the alias serves (the model map's <c>kind</c>); chat unless it says otherwise.</summary>
    public AliasKind Kind { get; init; } = AliasKind.Chat;

    /// <summary>What the provider does with sampling hints its upstream cannot express: drop them (the default) or answer 400.</summary>
    public UnsupportedParameterPolicy UnsupportedParameters { get; init; } = UnsupportedParameterPolicy.Drop;
}

/// <summary>The model map's <c>unsupportedParameters</c>: <c>"drop"</c> or <c>"error"</c>.</summary>
public enum UnsupportedParameterPolicy
{
    Drop,
    Error,
}
