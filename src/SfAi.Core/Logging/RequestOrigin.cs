namespace SfAi.Core.Logging;

/// <summary>Who sent a request, as far as the logs tell it: never any header carrying a key.</summary>
/// <param name="RequestId">The gateway's request id.</param>
/// <param name="UserAgent">The client's <c>User-Agent</c>.</param>
/// <param name="Origin">The browser <c>Origin</c>, if any.</param>
/// <param name="KeyName">The name of the caller's gateway key, <c>anonymous</c>, or <c>supabase</c>.</param>
/// <param name="UserId">The Supabase user (<c>sub</c>), if the caller is one.</param>
/// <param name="UserEmail">The Supabase user's email as <c>LOG_USER_TEXT</c> lets the logs show it (hashed or left out).</param>
public sealed record RequestOrigin(
    string RequestId, string? UserAgent, string? Origin, string KeyName = "anonymous", string? UserId = null, string? UserEmail = null);
