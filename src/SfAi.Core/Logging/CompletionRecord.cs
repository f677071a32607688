namespace SfAi.Core.Logging;

/// <summary>The fields of one <c>chat_completion</c> log event (the seed's contract, extended).</summary>
public sealed record CompletionRecord
{
    public required string RequestId { get; init; }
    /// <summary>The alias the client asked for.</summary>
    public required string Alias { get; init; }

    /// <summary>The alias that answered: the one asked for, or a fallback of it.</summary>
    public required string AnsweredBy { get; init; }
    public required string Provider { get; init; }

    /// <summary>The endpoint the client called: <c>chat</c> (any chat protocol), <c>embeddings</c> or <c>completions</c> (legacy).</summary>
    public string Endpoint { get; init; } = "chat";

    /// <summary>For embeddings: how many inputs were embedded (their total length is <see cref="LatestUserMessageLength"/>).</summary>
    public int? InputCount { get; init; }
    public required string UpstreamModel { get; init; }
    public required bool Stream { get; init; }
    public required int Status { get; init; }
    public required double LatencyMs { get; init; }
    public double? TtftMs { get; init; }
    public string? FinishReason { get; init; }
    public string? LatestUserMessage { get; init; }
    public required int LatestUserMessageLength { get; init; }
    public string? ContextTailPreview { get; init; }
    public required int TokensIn { get; init; }
    public required int TokensOut { get; init; }
    public required int CachedTokensIn { get; init; }

    /// <summary>Input tokens written to the prompt cache (Anthropic), priced at the cache-write rate.</summary>
    public int CacheWriteTokensIn { get; init; }
    public decimal? CostUsd { get; init; }
    public required bool TokensEstimated { get; init; }

    /// <summary>The client's protocol when it is not OpenAI chat (<c>anthropic-messages</c>, <c>openai-responses</c>, …); null otherwise, as the seed's lines were.</summary>
    public string? Protocol { get; init; }

    /// <summary>The request parameters left out under the alias's <c>unsupportedParameters: drop</c> policy; null when none.</summary>
    public IReadOnlyList<string>? DroppedParameters { get; init; }
    public string? UserAgent { get; init; }
    public string? Origin { get; init; }
    public required string KeyName { get; init; }

    /// <summary>The Supabase user (<c>sub</c>), when the caller is one.</summary>
    public string? UserId { get; init; }

    /// <summary>The Supabase user's email, when the token carries one, as <c>LOG_USER_TEXT</c> allows.</summary>
    public string? UserEmail { get; init; }
}
