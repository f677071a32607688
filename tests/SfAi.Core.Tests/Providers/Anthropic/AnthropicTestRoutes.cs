using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Tests.Providers.Anthropic;

internal static class AnthropicTestRoutes
{
    public static AliasRoute Route(string? defaults = null, int? maxOutputTokens = null, string model = "claude-sonnet-4-5") =>
        new("backend",
            new ProviderDefinition("anthropic", ProviderType.Anthropic, null, new SecretReference("ANTHROPIC_API_KEY", null), TimeSpan.FromSeconds(60)),
            model,
            defaults is null ? [] : JsonNode.Parse(defaults)!.AsObject(),
            RequestRewrite.None,
            null,
            maxOutputTokens);

    public static ChatRequest Request(string json) => ChatRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    public static void AssertJsonEqual(string expected, JsonNode actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual),
            $"Expected:{Environment.NewLine}{expectedNode!.ToJsonString()}{Environment.NewLine}Actual:{Environment.NewLine}{actual.ToJsonString()}");
    }
}
