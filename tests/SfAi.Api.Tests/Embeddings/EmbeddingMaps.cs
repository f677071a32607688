using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Embeddings;

/// <summary>
/// A model map with an alias of each kind: <c>embed</c> (OpenAI), <c>local-embed</c> (OpenAI-compatible, no key),
/// <c>echo-embed</c> (offline), <c>fim</c> (OpenAI-compatible completions), <c>frontend</c> (chat), <c>claude</c> (Anthropic chat).
/// </summary>
internal static class EmbeddingMaps
{
    static EmbeddingMaps()
    {
        Environment.SetEnvironmentVariable(ModelMaps.KeyVariable, ModelMaps.UpstreamKey);
        Environment.SetEnvironmentVariable(ModelMaps.AnthropicKeyVariable, ModelMaps.AnthropicKey);
    }

    public static string For(string openAIV1, string compatibleV1, string anthropicV1) => $$"""
        {
          "providers": {
            "openai": { "type": "openai", "baseUrl": "{{openAIV1}}", "apiKey": { "env": "{{ModelMaps.KeyVariable}}" }, "timeoutSeconds": 5 },
            "local": { "type": "openai-compatible", "baseUrl": "{{compatibleV1}}", "timeoutSeconds": 5 },
            "anthropic": { "type": "anthropic", "baseUrl": "{{anthropicV1}}", "apiKey": { "env": "{{ModelMaps.AnthropicKeyVariable}}" }, "timeoutSeconds": 5 },
            "echo": { "type": "echo" }
          },
          "aliases": {
            "embed": { "provider": "openai", "model": "text-embedding-3-small", "kind": "embeddings" },
            "local-embed": { "provider": "local", "model": "nomic-embed-text", "kind": "embeddings" },
            "echo-embed": { "provider": "echo", "model": "echo-embed-1", "kind": "embeddings" },
            "instruct": { "provider": "openai", "model": "gpt-3.5-turbo-instruct", "kind": "completions", "price": { "input": 1.5, "output": 2 } },
            "fim": { "provider": "local", "model": "qwen2.5-coder:1.5b-base", "kind": "completions" },
            "frontend": { "provider": "openai", "model": "gpt-4o-mini" },
            "claude": { "provider": "anthropic", "model": "claude-sonnet-4-5" },
            "echo": { "provider": "echo", "model": "echo-1" }
          }
        }
        """;
}
