using System.Text.Json;

namespace SfAi.Core.Access.Supabase;

/// <summary>A verified Supabase access token: whose it is and what the project's admins wrote about them.</summary>
/// <param name="UserId">The token's <c>sub</c>; <c>null</c> for the anon role.</param>
/// <param name="Email">The token's <c>email</c>, if any.</param>
/// <param name="IsAnonymous">The token has <c>role: anon</c> (the project's anon key used as a bearer).</param>
/// <param name="AppMetadataSfai">The token's <c>app_metadata.sfai</c> object, if any (a detached copy).</param>
public sealed record SupabaseSession(string? UserId, string? Email, bool IsAnonymous, JsonElement? AppMetadataSfai);
