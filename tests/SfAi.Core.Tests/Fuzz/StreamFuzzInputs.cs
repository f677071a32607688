using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Generators for the stream-side properties: SSE text (data, field, comment and blank lines with LF, CRLF or a lone CR),
/// captured streams mutated at the byte level, and captured Anthropic event sequences mutated event by event (a member
/// removed, a value replaced by one of another type or a number out of range, an event edited byte-wise, dropped,
/// repeated elsewhere, or the sequence cut short). Shared, as a linked file, with the end-to-end properties in SfAi.Api.Tests.
/// </summary>
internal static class StreamFuzzInputs
{
    private static readonly string[] AnthropicStreamFixtures =
    [
        "anthropic/messages-stream-after-tool-result-with-thinking-history.txt", "anthropic/messages-stream-thinking-then-tool-use.txt",
        "anthropic/real-messages-stream-structured-output.txt", "anthropic/sdk-basic_response.txt",
        "anthropic/sdk-fable-fallback-stream-a-refusal.sse.txt", "anthropic/sdk-incomplete_partial_json_response.txt",
        "anthropic/sdk-refusal_response.txt", "anthropic/sdk-tool_use_response.txt",
    ];

    private static readonly string[] OpenAIStreamFixtures =
        ["openai/chat-stream-finish-length.txt", "openai/chat-stream-include-usage.txt", "openai/chat-stream-tool-call-include-usage.txt"];

    private static readonly string[] SseLines =
    [
        "data: {\"a\":1}", "data:x", "data", "data:", "data: ", "data:  two spaces", "data:[DONE]", "data: 日本語", "event: ping",
        "event:", "id: 7", "retry: 10", ": comment", ":", "", "DATA: x", "data : x", "dat", "datax", " data: x",
    ];

    private static readonly string[] LineEnds = ["\n", "\n", "\n", "\r\n", "\r\n", "\r", ""];

    /// <summary>Values that do not belong where they are put: fractions, numbers past <see cref="int"/>, strings, other kinds.</summary>
    private static readonly string[] OutOfPlaceValues =
    [
        "1.5", "-1", "0.0", "1e2", "99999999999", "2147483648", "-2147483649", "1e400", "-1e400", "\"x\"", "\"0\"", "\"\"", "null",
        "true", "[]", "{}", "[0]", "{\"type\":\"text\"}", "{\"type\":\"tool_use\"}",
    ];

    /// <summary>Each captured Anthropic stream as the data of its events, in order.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> AnthropicEvents { get; } = [.. AnthropicStreamFixtures.Select(f => DataOf(Read(f)))];

    /// <summary>The chunks of the captured OpenAI streams (without <c>[DONE]</c>).</summary>
    public static IReadOnlyList<string> OpenAIChunks { get; } =
        [.. OpenAIStreamFixtures.SelectMany(f => DataOf(Read(f))).Where(data => data != "[DONE]")];

    /// <summary>Every captured stream, whole, as sent on the wire.</summary>
    public static IReadOnlyList<byte[]> StreamFixtureBytes { get; } =
        [.. AnthropicStreamFixtures.Concat(OpenAIStreamFixtures).Select(f => Encoding.UTF8.GetBytes(Read(f)))];

    /// <summary>Lines an SSE reader tells apart, and noise, each with its own line end.</summary>
    public static Gen<byte[]> SseText { get; } =
        Gen.Select(Gen.Frequency((6, Gen.OneOf(SseLines)), (1, Gen.String[0, 20]), (1, Gen.OneOf(SseLines).Select(l => l + new string('y', 90)))),
                Gen.OneOf(LineEnds), (line, end) => line + end)
            .Array[0, 30]
            .Select(lines => Encoding.UTF8.GetBytes(string.Concat(lines)));

    /// <summary>Stream bodies: SSE-shaped text, arbitrary bytes, captured streams with byte-level edits.</summary>
    public static Gen<byte[]> SseBodies { get; } = Gen.Frequency(
        (3, SseText),
        (1, FuzzInputs.ArbitraryBytes),
        (2, FuzzInputs.MutatedBytes(StreamFixtureBytes)));

    public static Gen<JsonNode?> OutOfPlaceValue { get; } = Gen.OneOf(OutOfPlaceValues).Select(v => JsonNode.Parse(v));

    /// <summary>A captured Anthropic event sequence with 1–4 edits, each event's data as UTF-8.</summary>
    public static Gen<IReadOnlyList<byte[]>> MutatedAnthropicStreams { get; } =
        Gen.Select(Gen.OneOf([.. AnthropicEvents]), SequenceEdit().Array[1, 4], (events, edits) =>
        {
            var sequence = events.Select(Encoding.UTF8.GetBytes).ToList();
            foreach (var edit in edits)
            {
                edit(sequence);
            }
            return (IReadOnlyList<byte[]>)sequence;
        });

    /// <summary>Shows an event sequence in a failure message.</summary>
    public static string Show(IReadOnlyList<byte[]> events) =>
        string.Join(Environment.NewLine + "---" + Environment.NewLine, events.Select(FuzzInputs.Show));

    private static Gen<Action<List<byte[]>>> SequenceEdit()
    {
        var anyIndex = Gen.Int[0, int.MaxValue];
        return Gen.Frequency(
            (5, Gen.Select(anyIndex, TreeEdit(), (at, edit) => (Action<List<byte[]>>)(s => EditEvent(s, at, edit)))),
            (2, Gen.Select(anyIndex, FuzzInputs.ByteEdit, (at, edit) => (Action<List<byte[]>>)(s => EditEvent(s, at, edit)))),
            (1, anyIndex.Select(at => (Action<List<byte[]>>)(s =>
            {
                if (s.Count > 0)
                {
                    s.RemoveAt(at % s.Count);
                }
            }))),
            (1, Gen.Select(anyIndex, anyIndex, (from, to) => (Action<List<byte[]>>)(s =>
            {
                if (s.Count > 0)
                {
                    s.Insert(to % (s.Count + 1), s[from % s.Count]);
                }
            }))),
            (1, anyIndex.Select(at => (Action<List<byte[]>>)(s =>
            {
                if (s.Count > 0)
                {
                    s.RemoveRange(at % s.Count, s.Count - at % s.Count);
                }
            }))));
    }

    private static void EditEvent(List<byte[]> sequence, int at, Func<byte[], byte[]> edit)
    {
        if (sequence.Count > 0)
        {
            sequence[at % sequence.Count] = edit(sequence[at % sequence.Count]);
        }
    }

    /// <summary>One edit of an event's JSON: a member or element removed, a top-level member or any node replaced.</summary>
    private static Gen<Func<byte[], byte[]>> TreeEdit()
    {
        var anyIndex = Gen.Int[0, int.MaxValue];
        return Gen.Frequency(
            (2, anyIndex.Select(pick => OnTree((_, slots) => Remove(slots[pick % slots.Count])))),
            (3, Gen.Select(anyIndex, OutOfPlaceValue, (pick, value) => OnTree((root, _) => ReplaceTopLevel(root, pick, value)))),
            (3, Gen.Select(anyIndex, Gen.Frequency((1, FuzzInputs.WeirdValue), (1, OutOfPlaceValue)),
                (pick, value) => OnTree((_, slots) => Replace(slots[pick % slots.Count], value)))));
    }

    /// <summary>An edit of the event's JSON tree; an event that earlier edits left unreadable as JSON stays as it is.</summary>
    private static Func<byte[], byte[]> OnTree(Action<JsonNode, List<(JsonNode Parent, string? Key, int Index)>> edit) => bytes =>
    {
        try
        {
            if (JsonNode.Parse(bytes) is not { } root || FuzzInputs.Slots(root) is not { Count: > 0 } slots)
            {
                return bytes;
            }
            edit(root, slots);
            return Encoding.UTF8.GetBytes(root.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return bytes;
        }
    };

    private static void Remove((JsonNode Parent, string? Key, int Index) slot)
    {
        if (slot.Parent is JsonObject o)
        {
            o.Remove(slot.Key!);
        }
        else
        {
            ((JsonArray)slot.Parent).RemoveAt(slot.Index);
        }
    }

    private static void Replace((JsonNode Parent, string? Key, int Index) slot, JsonNode? value)
    {
        if (slot.Parent is JsonObject o)
        {
            o[slot.Key!] = value?.DeepClone();
        }
        else
        {
            ((JsonArray)slot.Parent)[slot.Index] = value?.DeepClone();
        }
    }

    private static void ReplaceTopLevel(JsonNode root, int pick, JsonNode? value)
    {
        if (root is JsonObject { Count: > 0 } o)
        {
            o[o.ElementAt(pick % o.Count).Key] = value?.DeepClone();
        }
    }

    private static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));

    /// <summary>The data of each event of a captured stream (its <c>data:</c> lines; <c>event:</c> lines dropped).</summary>
    private static List<string> DataOf(string stream) =>
        [.. stream.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => string.Join("\n", block.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line["data:".Length..].TrimStart(' '))))
            .Where(data => data.Length > 0)];
}
