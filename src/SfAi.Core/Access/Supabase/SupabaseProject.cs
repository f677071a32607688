namespace SfAi.Core.Access.Supabase;

/// <summary>The Supabase project whose users may call the gateway (<c>SUPABASE_URL</c> and its companions).</summary>
/// <param name="Url">The project's URL, e.g. <c>https://abcd.supabase.co</c>, without a trailing slash.</param>
/// <param name="Audience">The <c>aud</c> its user sessions carry (<c>SUPABASE_AUDIENCE</c>, default <c>authenticated</c>).</param>
/// <param name="AnonKey">The project's anon or publishable key (<c>SUPABASE_ANON_KEY</c>); when set, an <c>apikey</c> header must match it.</param>
public sealed record SupabaseProject(string Url, string Audience, string? AnonKey)
{
    public const string DefaultAudience = "authenticated";

    /// <summary>The <c>iss</c> of the project's access tokens.</summary>
    public string Issuer => Url + "/auth/v1";

    public Uri JwksUri => new(Url + "/auth/v1/.well-known/jwks.json");

    public static SupabaseProject Create(string url, string? audience, string? anonKey) =>
        new(url.Trim().TrimEnd('/'), string.IsNullOrWhiteSpace(audience) ? DefaultAudience : audience.Trim(),
            string.IsNullOrWhiteSpace(anonKey) ? null : anonKey.Trim());
}
