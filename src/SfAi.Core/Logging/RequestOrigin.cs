namespace SfAi.Core.Logging;

/// <summary>Who sent a request, as far as the logs tell it: never any header carrying a key.</summary>
/// <param name="RequestId">The gateway's request id.</param>
/// <param name="UserAgent">The client's <c>User-Agent</c>.</param>
/// <param name="Origin">The browser <c>Origin</c>, if any.</param>
/// <param name="KeyName">The name of the caller's gateway key, or <c>anonymous</c>.</param>
public sealed record RequestOrigin(string RequestId, string? UserAgent, string? Origin, string KeyName = "anonymous");
