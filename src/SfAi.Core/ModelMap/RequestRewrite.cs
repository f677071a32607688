using System.Text.Json.Nodes;

namespace SfAi.Core.ModelMap;

/// <summary>
/// Per-alias fixes for upstreams that differ from OpenAI's reference behaviour, applied after the client's
/// fields and the alias defaults: rename a parameter, drop one the upstream rejects, or pin one to a value.
/// </summary>
public sealed record RequestRewrite(
    IReadOnlyDictionary<string, string> Rename,
    IReadOnlyList<string> Drop,
    JsonObject Pin)
{
    /// <summary>Betas of the client's <c>anthropic-beta</c> header a Messages pass-through does not forward (<c>request.dropBetas</c>).</summary>
    public IReadOnlyList<string> DropBetas { get; init; } = [];

    public static readonly RequestRewrite None = new(new Dictionary<string, string>(), [], new JsonObject());

    public bool IsEmpty => Rename.Count == 0 && Drop.Count == 0 && Pin.Count == 0;
}
