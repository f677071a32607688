namespace SfAi.Core.Usage;

/// <summary>Tokens of one completion, in OpenAI's accounting: <see cref="PromptTokens"/> includes cached and cache-write tokens.</summary>
/// <param name="PromptTokens">All input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
/// <param name="CachedPromptTokens">Input tokens read from the prompt cache.</param>
/// <param name="CacheWriteTokens">Input tokens written to the prompt cache (Anthropic).</param>
/// <param name="Estimated">Counted by the gateway's tokenizer because the upstream did not report usage.</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, int CachedPromptTokens = 0, int CacheWriteTokens = 0, bool Estimated = false)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
