using System.Text.Json.Nodes;
using CsCheck;
using SfAi.Core.Providers.Anthropic;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Providers.Anthropic;

/// <summary>
/// Random valid OpenAI conversations (system turns anywhere, empty texts, content parts, tool calls and results)
/// translate to Anthropic requests whose roles alternate, with no empty text block, and with no content lost.
/// </summary>
public sealed class AnthropicTranslationPropertyTests
{
    private static readonly Gen<string> Text = Gen.OneOf("", " ", "\n", "hello", "日本語のテキスト", "a b c", "end ", "{\"json\":true}");

    private static readonly Gen<JsonNode> Content = Gen.Frequency(
        (3, Text.Select(t => (JsonNode)JsonValue.Create(t))),
        (1, Text.Array[1, 3].Select(parts => (JsonNode)new JsonArray([.. parts.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p })]))));

    private static readonly Gen<Turn> TurnGen = Gen.Frequency(
        (1, Content.Select(c => new Turn("system", c, 0))),
        (1, Content.Select(c => new Turn("developer", c, 0))),
        (4, Content.Select(c => new Turn("user", c, 0))),
        (3, Gen.Select(Content, Gen.Int[0, 2], (c, calls) => new Turn("assistant", c, calls))));

    [Fact]
    public void Translated_conversations_alternate_roles_have_no_empty_text_and_lose_nothing() =>
        TurnGen.List[1, 12].Sample(turns =>
        {
            var request = Conversation(turns);
            var body = AnthropicRequestTranslator.Translate(Request(request.ToJsonString()), Route());

            var messages = body["messages"]!.AsArray();
            for (var i = 1; i < messages.Count; i++)
            {
                Assert.NotEqual(messages[i - 1]!["role"]!.GetValue<string>(), messages[i]!["role"]!.GetValue<string>());
            }
            var blocks = messages.SelectMany(m => m!["content"]!.AsArray()).Concat(body["system"]?.AsArray() ?? []).ToList();
            Assert.All(blocks.Where(b => b!["type"]!.GetValue<string>() == "text"),
                b => Assert.False(string.IsNullOrWhiteSpace(b!["text"]!.GetValue<string>())));
            Assert.Equal(ExpectedTexts(request, system: true), (body["system"]?.AsArray() ?? []).Select(b => b!["text"]!.GetValue<string>()));
            Assert.Equal(ExpectedTexts(request, system: false),
                messages.SelectMany(m => m!["content"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "text").Select(b => b!["text"]!.GetValue<string>().TrimEnd()));
            Assert.Equal(Ids(request, "tool_calls"), messages.SelectMany(m => m!["content"]!.AsArray())
                .Where(b => b!["type"]!.GetValue<string>() == "tool_use").Select(b => b!["id"]!.GetValue<string>()));
            Assert.Equal(Ids(request, "tool_call_id"), messages.SelectMany(m => m!["content"]!.AsArray())
                .Where(b => b!["type"]!.GetValue<string>() == "tool_result").Select(b => b!["tool_use_id"]!.GetValue<string>()));
        }, iter: 500);

    private sealed record Turn(string Role, JsonNode Content, int ToolCalls);

    private static JsonObject Conversation(List<Turn> turns)
    {
        var messages = new JsonArray();
        var callNumber = 0;
        foreach (var turn in turns)
        {
            var message = new JsonObject { ["role"] = turn.Role, ["content"] = turn.Content.DeepClone() };
            messages.Add((JsonNode)message);
            if (turn.ToolCalls == 0)
            {
                continue;
            }
            var calls = new JsonArray();
            var ids = new List<string>();
            for (var i = 0; i < turn.ToolCalls; i++)
            {
                var id = $"call_{callNumber++}";
                ids.Add(id);
                calls.Add((JsonNode)new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = $$"""{"n":{{i}}}""" },
                });
            }
            message["tool_calls"] = calls;
            foreach (var id in ids)
            {
                messages.Add((JsonNode)new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = "result " + id });
            }
        }
        return new JsonObject { ["model"] = "backend", ["messages"] = messages };
    }

    private static List<string> ExpectedTexts(JsonObject request, bool system)
    {
        var texts = new List<string>();
        foreach (var message in request["messages"]!.AsArray())
        {
            var role = message!["role"]!.GetValue<string>();
            if ((role is "system" or "developer") != system)
            {
                continue;
            }
            IEnumerable<string> parts = message["content"] switch
            {
                JsonArray array => array.Select(p => p!["text"]!.GetValue<string>()),
                JsonNode value => [role == "tool" ? value.GetValue<string>() : value.GetValue<string>()],
                _ => [],
            };
            if (role == "tool")
            {
                continue;
            }
            texts.AddRange(parts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => system ? t : t.TrimEnd()));
        }
        return texts;
    }

    private static List<string> Ids(JsonObject request, string field) =>
        [.. request["messages"]!.AsArray().SelectMany(m => m![field] switch
        {
            JsonArray calls => calls.Select(c => c!["id"]!.GetValue<string>()),
            JsonValue id => [id.GetValue<string>()],
            _ => [],
        })];
}
