using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Generators for the fuzz properties: arbitrary bytes, random JSON shaped like chat requests (known field names, any
/// value), and seeds from captured fixtures mutated at the byte level (flips, truncations, deletions, splices, invalid
/// UTF-8, stray JSON tokens) or at the tree level (a node replaced by a value of the wrong type, a huge number, deep
/// nesting). Shared, as a linked file, with the end-to-end properties in SfAi.Api.Tests.
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Byte sequences that are not valid UTF-8: a bad continuation, a stray continuation, overlong forms, a surrogate, past U+10FFFF.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0x80], [0xBF], [0xFF], [0xFE], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ];

    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-0", "1e999", "-1e999", "1.7976931348623157e309",
        "99999999999999999999999999999", "2147483648", "-2147483649", "0.5", "NaN", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"",
        "/*", "//", "\u00a0", "\t", "\r\n", "{}", "[]", "\"model\":\"echo\",", "\"\":", "\"messages\":",
    ];

    /// <summary>Field names the request path reads, so that random objects often hit real code.</summary>
    private static readonly string[] RequestFields =
    [
        "model", "messages", "stream", "stream_options", "include_usage", "max_tokens", "max_completion_tokens", "temperature",
        "top_p", "top_k", "stop", "user", "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort",
        "n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "store", "logit_bias", "modalities", "audio",
        "service_tier", "seed", "prediction", "metadata", "role", "content", "name", "tool_calls", "tool_call_id",
        "thinking_blocks", "thinking", "signature", "type", "text", "refusal", "image_url", "url", "detail", "file",
        "file_data", "file_id", "function", "arguments", "parameters", "description", "strict", "json_schema", "schema",
        "cache_control", "id", "", "\u0000", "model\u0000",
    ];

    private static readonly string[] Roles = ["user", "assistant", "system", "developer", "tool", "function", "", "User", "bot"];

    private static readonly string[] Aliases = ["echo", "frontend", "backend", "", " ", "unknown-model", "echo\u0000"];

    /// <summary>Strings a field might hold, valid or not for it.</summary>
    private static readonly string[] Strings =
    [
        "", " ", "hi", "text", "image_url", "file", "function", "auto", "none", "required", "json_object", "json_schema",
        "low", "medium", "high", "minimal", "audio", "ephemeral", "data:image/png;base64,iVBORw0KGgo=", "data:,",
        "data:application/pdf;base64,JVBERi0=", "https://example.com/cat.png", "http://", "ftp://x", "data:image/png;base64",
        "{\"a\":1}", "{", "[]", "null", "\ud83d\ude00", "日本語", "\u2028", "a\u0000b", new string('x', 300),
    ];

    public static Gen<byte[]> ArbitraryBytes { get; } = Gen.Frequency(
        (3, Gen.Byte.Array[0, 256]),
        (1, Gen.Byte[0x20, 0x7E].Array[0, 256]),
        (1, Gen.OneOf("{}"u8.ToArray(), "[]"u8.ToArray(), "null"u8.ToArray(), "\"x\""u8.ToArray(), "1"u8.ToArray(), Array.Empty<byte>())));

    /// <summary>Any JSON value up to <paramref name="depth"/> levels, its objects mostly keyed by request field names.</summary>
    public static Gen<JsonNode?> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (1, Gen.Const<JsonNode?>(() => null)),
            (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (2, Gen.OneOf(Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)), Gen.Int[-2, 3].Select(i => (JsonNode?)JsonValue.Create(i)),
                Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0.5)),
                Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)))),
            (3, Gen.OneOf(Strings).Select(s => (JsonNode?)JsonValue.Create(s))),
            (1, Gen.String.Select(s => (JsonNode?)JsonValue.Create(s))),
            (1, Gen.OneOf(Roles).Select(s => (JsonNode?)JsonValue.Create(s))));
        if (depth <= 0)
        {
            return leaf;
        }
        var child = Value(depth - 1);
        var array = child.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items]));
        var obj = Gen.Select(Gen.OneOf(RequestFields).Array[0, 5], child.Array[5], (keys, values) =>
        {
            var o = new JsonObject();
            for (var i = 0; i < keys.Length; i++)
            {
                o[keys[i]] = values[i];
            }
            return (JsonNode?)o;
        });
        return Gen.Frequency((3, leaf), (1, array), (2, obj));
    }

    /// <summary>A chat request with a known or unknown alias, 1–4 messages of any role and shape, and 0–5 parameters of any value.</summary>
    public static Gen<JsonObject> RandomRequest(params string[] aliases)
    {
        var message = Gen.Select(Gen.OneOf(Roles), Gen.Frequency((2, Gen.OneOf(Strings).Select(s => (JsonNode?)JsonValue.Create(s))), (3, Value(3))),
            Gen.OneOf(RequestFields).Array[0, 3], Value(3).Array[3], (role, content, keys, values) =>
            {
                var m = new JsonObject { ["role"] = role, ["content"] = content };
                for (var i = 0; i < keys.Length; i++)
                {
                    m[keys[i]] = values[i];
                }
                return (JsonNode?)m;
            });
        var model = aliases.Length > 0 ? Gen.OneOf(aliases) : Gen.OneOf(Aliases);
        return Gen.Select(model, message.Array[1, 4], Gen.OneOf(RequestFields).Array[0, 5], Value(3).Array[5], Gen.Bool,
            (alias, messages, keys, values, stream) =>
            {
                var request = new JsonObject { ["model"] = alias, ["messages"] = new JsonArray([.. messages]), ["stream"] = stream };
                for (var i = 0; i < keys.Length; i++)
                {
                    if (keys[i] is not ("model" or "messages"))
                    {
                        request[keys[i]] = values[i];
                    }
                }
                return request;
            });
    }

    /// <summary>Hand-written requests that reach the translator's less common branches, for mutation.</summary>
    public static IReadOnlyList<string> RequestSeeds { get; } =
    [
        """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""",
        """{"model":"backend","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]}]}""",
        """{"model":"backend","max_tokens":4096,"reasoning_effort":"low","messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null,"thinking_blocks":[{"type":"thinking","thinking":"hmm","signature":"sig"}],"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"weather"}},"parallel_tool_calls":false}""",
        """{"model":"backend","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},"stop":["\n\n","END"],"temperature":0.2,"top_p":0.9,"user":"u-1","seed":7,"n":1,"logprobs":false,"messages":[{"role":"developer","content":[{"type":"text","text":"JSON only"}]},{"role":"user","content":"hi"},{"role":"assistant","content":"Sure "}]}""",
        """{"model":"frontend","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"},"logit_bias":{"50256":-100},"service_tier":"auto","modalities":["text"],"metadata":{"k":"v"}}""",
    ];

    /// <summary>A seed mutated by 1–4 byte-level edits.</summary>
    public static Gen<byte[]> MutatedBytes(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.OneOf([.. seeds]), ByteEdit.Array[1, 4], (seed, edits) =>
        {
            var bytes = seed;
            foreach (var edit in edits)
            {
                bytes = edit(bytes);
            }
            return bytes;
        });

    /// <summary>A seed's JSON with one to three nodes replaced by other values (wrong types, huge numbers, deep nesting).</summary>
    public static Gen<byte[]> MutatedTrees(IReadOnlyList<string> jsonSeeds) =>
        Gen.Select(Gen.OneOf([.. jsonSeeds]), Gen.Select(Gen.Int[0, int.MaxValue], WeirdValue).Array[1, 3], (seed, replacements) =>
        {
            var root = JsonNode.Parse(seed)!;
            foreach (var (pick, value) in replacements)
            {
                var slots = Slots(root);
                if (slots.Count == 0)
                {
                    break;
                }
                var (parent, key, index) = slots[pick % slots.Count];
                if (parent is JsonObject o)
                {
                    o[key!] = value;
                }
                else
                {
                    ((JsonArray)parent)[index] = value;
                }
            }
            return Encoding.UTF8.GetBytes(root.ToJsonString());
        });

    /// <summary>Values that are wrong somewhere: other types, numbers out of range, nesting near and past the parser's limit.</summary>
    public static Gen<JsonNode?> WeirdValue { get; } = Gen.Frequency(
        (4, Value(2)),
        (1, Gen.OneOf("1e308", "-1e308", "1e-400", "2147483648", "-2147483649", "99999999999999999999999999999", "1.5", "-0", "0", "-1")
            .Select(n => JsonNode.Parse(n))),
        (1, Gen.Int[1, 300].Select(Nested)),
        (1, Gen.Int[0, 20000].Select(n => (JsonNode?)JsonValue.Create(new string('a', n)))));

    private static JsonNode? Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 1; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["content"] = node };
        }
        return node;
    }

    /// <summary>Every place a node sits in the tree: an object's member or an array's element.</summary>
    public static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        slots.Add((o, key, -1));
                        Walk(child);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, null, i));
                        Walk(a[i]);
                    }
                    break;
            }
        }
        Walk(root);
        return slots;
    }

    /// <summary>One byte-level edit, applied to a copy.</summary>
    public static Gen<Func<byte[], byte[]>> ByteEdit { get; } = Gen.Frequency(
        (2, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte[1, 255], (at, mask) => (Func<byte[], byte[]>)(b => Flip(b, at, mask)))),
        (2, Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(b => b.Length == 0 ? b : b[..(at % b.Length)]))),
        (2, Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf(InvalidUtf8), (at, bad) => (Func<byte[], byte[]>)(b => Insert(b, at, bad)))),
        (3, Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf(JsonTokens), (at, token) => (Func<byte[], byte[]>)(b => Insert(b, at, Encoding.UTF8.GetBytes(token))))),
        (1, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 64], (at, length) => (Func<byte[], byte[]>)(b => Delete(b, at, length)))),
        (1, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[1, 128], (from, to, length) => (Func<byte[], byte[]>)(b => Splice(b, from, to, length)))));

    private static byte[] Flip(byte[] bytes, int at, byte mask)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }
        var copy = (byte[])bytes.Clone();
        copy[at % copy.Length] ^= mask;
        return copy;
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted)
    {
        var position = at % (bytes.Length + 1);
        return [.. bytes.AsSpan(0, position), .. inserted, .. bytes.AsSpan(position)];
    }

    private static byte[] Delete(byte[] bytes, int at, int length)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }
        var position = at % bytes.Length;
        var end = Math.Min(bytes.Length, position + length);
        return [.. bytes.AsSpan(0, position), .. bytes.AsSpan(end)];
    }

    /// <summary>A copy of one range inserted elsewhere (repeats a field, an event, a bracket run).</summary>
    private static byte[] Splice(byte[] bytes, int from, int to, int length)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }
        var start = from % bytes.Length;
        var piece = bytes.AsSpan(start, Math.Min(length, bytes.Length - start)).ToArray();
        return Insert(bytes, to, piece);
    }

    /// <summary>Shows an input in a failure message: as text when it is printable UTF-8, otherwise also as hex.</summary>
    public static string Show(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var shown = text.Length > 2000 ? text[..2000] + $"… ({bytes.Length} bytes)" : text;
        return System.Text.Unicode.Utf8.IsValid(bytes) && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            ? shown
            : $"{shown}{Environment.NewLine}hex: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 4000)))}";
    }
}
