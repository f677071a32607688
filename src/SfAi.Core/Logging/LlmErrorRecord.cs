namespace SfAi.Core.Logging;

/// <summary>The fields of one <c>llm_error</c> log event: every failure, whoever caused it.</summary>
public sealed record LlmErrorRecord
{
    public required string RequestId { get; init; }
    public required string ErrorType { get; init; }
    public required int Status { get; init; }
    public required string Message { get; init; }
    public string? Alias { get; init; }
    public string? Provider { get; init; }
    public string? UpstreamModel { get; init; }
    public bool Stream { get; init; }
    public required double LatencyMs { get; init; }
    public string? UserAgent { get; init; }
    public string? Origin { get; init; }
    public required string KeyName { get; init; }

    /// <summary>The Supabase user (<c>sub</c>), when the caller is one.</summary>
    public string? UserId { get; init; }

    /// <summary>The Supabase user's email, when the token carries one, as <c>LOG_USER_TEXT</c> allows.</summary>
    public string? UserEmail { get; init; }
}
