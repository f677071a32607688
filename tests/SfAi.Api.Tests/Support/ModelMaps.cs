namespace SfAi.Api.Tests.Support;

/// <summary>Model maps for tests: an OpenAI-type provider pointed at a fake upstream, and the echo provider.</summary>
public static class ModelMaps
{
    public const string KeyVariable = "SFAI_TEST_OPENAI_KEY";
    public const string UpstreamKey = "sk-upstream-test-key-0123456789";

    static ModelMaps()
    {
        Environment.SetEnvironmentVariable(KeyVariable, UpstreamKey);
        Environment.SetEnvironmentVariable(AnthropicKeyVariable, AnthropicKey);
    }

    public static string OpenAI(string upstreamV1, string aliasExtras = "", double timeoutSeconds = 5, string providerExtras = "") => $$"""
        {
          "providers": {
            "openai": { "type": "openai", "baseUrl": "{{upstreamV1}}", "apiKey": { "env": "{{KeyVariable}}" }, "timeoutSeconds": {{timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{providerExtras}} },
            "echo": { "type": "echo" }
          },
          "aliases": {
            "frontend": { "provider": "openai", "model": "gpt-4o-mini"{{aliasExtras}} },
            "echo": { "provider": "echo", "model": "echo-1" }
          }
        }
        """;

    public const string AnthropicKeyVariable = "SFAI_TEST_ANTHROPIC_KEY";
    public const string AnthropicKey = "sk-ant-test-key-0123456789";

    public static string Anthropic(string upstreamV1, double timeoutSeconds = 5) => $$"""
        {
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{upstreamV1}}", "apiKey": { "env": "{{AnthropicKeyVariable}}" }, "timeoutSeconds": {{timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
          },
          "aliases": {
            "backend": { "provider": "anthropic", "model": "claude-sonnet-4-5" }
          }
        }
        """;

    /// <summary>One alias per way a Responses API request goes: <c>frontend</c> (OpenAI, pass-through), <c>backend</c> (Anthropic), <c>local</c> (OpenAI-compatible), <c>echo</c>.</summary>
    public static string EveryKind(string openAIV1, string anthropicV1, string compatibleV1) => $$"""
        {
          "providers": {
            "openai": { "type": "openai", "baseUrl": "{{openAIV1}}", "apiKey": { "env": "{{KeyVariable}}" } },
            "anthropic": { "type": "anthropic", "baseUrl": "{{anthropicV1}}", "apiKey": { "env": "{{AnthropicKeyVariable}}" } },
            "local": { "type": "openai-compatible", "baseUrl": "{{compatibleV1}}" },
            "echo": { "type": "echo" }
          },
          "aliases": {
            "frontend": { "provider": "openai", "model": "gpt-5.4" },
            "backend": { "provider": "anthropic", "model": "claude-sonnet-4-5" },
            "local": { "provider": "local", "model": "qwen3" },
            "echo": { "provider": "echo", "model": "echo-1" }
          }
        }
        """;

    public const string EchoOnly = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" } }
        }
        """;
}
