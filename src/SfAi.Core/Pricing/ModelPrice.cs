namespace SfAi.Core.Pricing;

/// <summary>USD per one million tokens.</summary>
/// <param name="Input">Uncached input tokens.</param>
/// <param name="Output">Output tokens.</param>
/// <param name="CachedInput">Input tokens read from the provider's prompt cache; the input price when absent.</param>
/// <param name="CacheWrite">Input tokens written to the prompt cache (Anthropic); the input price when absent.</param>
public sealed record ModelPrice(decimal Input, decimal Output, decimal? CachedInput = null, decimal? CacheWrite = null);
