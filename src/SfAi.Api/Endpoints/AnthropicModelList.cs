namespace SfAi.Api.Endpoints;

/// <summary>Anthropic's model list (<c>{"data":[…],"has_more","first_id","last_id"}</c>), for a request that carries <c>anthropic-version</c>.</summary>
internal sealed record AnthropicModelList(IReadOnlyList<AnthropicModelEntry> Data, bool HasMore, string? FirstId, string? LastId)
{
    public static AnthropicModelList Of(IReadOnlyList<string> aliases, string createdAt) =>
        new([.. aliases.Select(alias => new AnthropicModelEntry("model", alias, alias, createdAt))], false, aliases.Count > 0 ? aliases[0] : null, aliases.Count > 0 ? aliases[^1] : null);
}

/// <summary>One alias, as Anthropic lists a model.</summary>
internal sealed record AnthropicModelEntry(string Type, string Id, string DisplayName, string CreatedAt);
