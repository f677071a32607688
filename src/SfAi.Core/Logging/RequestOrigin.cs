namespace SfAi.Core.Logging;

/// <summary>Who sent a request, as far as the logs tell it: never any header carrying a key.</summary>
public sealed record RequestOrigin(string RequestId, string? UserAgent, string? Origin);
