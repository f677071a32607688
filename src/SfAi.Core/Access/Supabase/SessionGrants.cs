using System.Text.Json;

namespace SfAi.Core.Access.Supabase;

/// <summary>
/// What a verified session may do: the anon role is the keys file's anonymous caller; a user gets the
/// <c>"supabase"</c> policy, counted per user, overridden field by field by <c>app_metadata.sfai</c>
/// (<c>aliases</c>, <c>qpm</c>, <c>tpm</c>) only when the policy trusts it. No policy, no alias.
/// </summary>
public static class SessionGrants
{
    /// <exception cref="Errors.GatewayException">401: the anon role where the keys file lets no one in without a key.</exception>
    public static AccessGrant For(SupabaseSession session, ApiKeySet keys)
    {
        if (session.IsAnonymous)
        {
            return keys.Anonymous ?? throw SessionErrors.Refused("the anon role may not call this gateway (the keys file has no 'anonymous' section)");
        }
        var policy = keys.Supabase;
        IReadOnlySet<string>? aliases = policy is null ? new HashSet<string>() : policy.Aliases;
        var qpm = policy?.RequestsPerMinute;
        var tpm = policy?.TokensPerMinute;
        if (policy is { TrustAppMetadata: true } && session.AppMetadataSfai is { } own)
        {
            if (own.TryGetProperty("aliases", out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String))
            {
                var names = list.EnumerateArray().Select(a => a.GetString()!).ToHashSet(StringComparer.Ordinal);
                aliases = names.Contains("*") ? null : names;
            }
            qpm = PositiveInteger(own, "qpm") ?? qpm;
            tpm = PositiveInteger(own, "tpm") ?? tpm;
        }
        return new AccessGrant(SessionErrors.KeyName, aliases, qpm, tpm) { UserId = session.UserId, UserEmail = session.Email, Budget = policy?.Budget };
    }

    private static int? PositiveInteger(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 0 ? n : null;
}
