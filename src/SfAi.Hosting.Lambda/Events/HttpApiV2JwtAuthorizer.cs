using System.Text.Json;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>What a JWT authorizer verified: the token's claims (strings, or JSON values kept as their text).</summary>
internal sealed class HttpApiV2JwtAuthorizer
{
    public Dictionary<string, JsonElement>? Claims { get; init; }
}
