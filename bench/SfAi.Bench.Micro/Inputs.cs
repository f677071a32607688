using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;
using SfAi.Core.Streaming;

namespace SfAi.Bench.Micro;

/// <summary>
/// The benchmarks' inputs: the benchmark model map (bench/config) and the captured provider traffic of
/// tests/SfAi.Api.Tests/Fixtures, copied next to the program at build time.
/// </summary>
internal static class Inputs
{
    /// <summary>A plain OpenAI alias: no defaults, no rewrite.</summary>
    public const string OpenAIAlias = "bench-openai";

    /// <summary>An Anthropic alias without <c>maxOutputTokens</c>.</summary>
    public const string AnthropicAlias = "bench-anthropic";

    private const string SystemPrompt =
        "You are the support assistant of an online bookshop. Answer in the customer's language, in at most three short "
        + "paragraphs. Use only the order data given in the conversation; when something is missing, say what you need "
        + "instead of guessing. Never reveal internal notes, discount codes or other customers' data. If the customer asks "
        + "for a refund, explain the 30-day policy and offer to open a ticket.";

    private const string UserMessage =
        "Hi! I ordered three books on March 3rd (order 48213-B): 'The Pragmatic Programmer', 'Designing Data-Intensive "
        + "Applications' and a hardcover of 'Dune'. The first two arrived last week, but Dune is still marked as 'preparing "
        + "shipment' and the tracking link gives a 404. I need it before the 20th because it is a birthday present. Can you "
        + "tell me whether it is actually in stock, and if it is not, can I swap it for the paperback edition and get the "
        + "difference refunded?";

    /// <summary>As clients' JSON libraries write it: no escaping of apostrophes and the like.</summary>
    private static readonly JsonSerializerOptions ClientJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ModelMap Map { get; } = ModelMapParser.Parse(File.ReadAllBytes(PathOf("config", "model_map.json")), "bench/config/model_map.json");

    public static AliasRoute Route(string alias) =>
        Map.TryResolve(alias, out var route) ? route : throw new InvalidOperationException($"The benchmark model map has no alias '{alias}'.");

    /// <summary>
    /// The body of the captured streaming request (<c>openai/chat-stream-include-usage.request.json</c>: temperature,
    /// stream with usage) with a system and a user message of about 1 KB in all, <c>max_tokens</c>, and the given alias.
    /// </summary>
    public static byte[] ChatRequestBody(string alias)
    {
        var body = JsonNode.Parse(Fixture("openai", "chat-stream-include-usage.request.json"))!.AsObject();
        body["model"] = alias;
        body["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = SystemPrompt },
            new JsonObject { ["role"] = "user", ["content"] = UserMessage });
        body.Remove("max_completion_tokens");
        body["max_tokens"] = 512;
        return Encoding.UTF8.GetBytes(body.ToJsonString(ClientJson));
    }

    /// <summary>The captured request with a tool (<c>openai/chat-stream-tool-call-include-usage.request.json</c>), for the given alias.</summary>
    public static byte[] ToolRequestBody(string alias)
    {
        var body = JsonNode.Parse(Fixture("openai", "chat-stream-tool-call-include-usage.request.json"))!.AsObject();
        body["model"] = alias;
        return Encoding.UTF8.GetBytes(body.ToJsonString(ClientJson));
    }

    /// <summary>The data of each event of a captured stream, read as the providers read upstream streams.</summary>
    public static List<string> StreamEvents(string provider, string file) => ReadEventsAsync(provider, file).GetAwaiter().GetResult();

    private static async Task<List<string>> ReadEventsAsync(string provider, string file)
    {
        await using var stream = File.OpenRead(PathOf("Fixtures", provider, file));
        var events = new List<string>();
        await foreach (var data in SseEventReader.ReadDataAsync(stream))
        {
            events.Add(data);
        }
        return events;
    }

    public static string Fixture(string provider, string file) => File.ReadAllText(PathOf("Fixtures", provider, file));

    private static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);
}
