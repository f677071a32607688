using System.Text;
using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols;

/// <summary>
/// An embeddings request's <c>input</c> or a legacy completion's <c>prompt</c>: a string, an array of strings, an array of
/// token ids, or an array of token-id arrays; each item read from the client's bytes only when asked for.
/// </summary>
public sealed class TextInputs
{
    private const string Shapes = "a string, an array of strings, an array of token ids, or an array of token-id arrays";

    private readonly ReadOnlyMemory<byte> _json;
    private readonly Item[] _items;
    private string[]? _texts;

    private TextInputs(ReadOnlyMemory<byte> json, Item[] items, int length, int tokenIds)
    {
        _json = json;
        _items = items;
        Length = length;
        TokenIds = tokenIds;
    }

    public static TextInputs None { get; } = new(ReadOnlyMemory<byte>.Empty, [], 0, 0);

    /// <summary>How many items: texts to embed, or prompts to complete.</summary>
    public int Count => _items.Length;

    /// <summary>The characters of the text items plus the ids of the token items.</summary>
    public int Length { get; }

    /// <summary>The token ids given as such (no tokenizer needed to count them).</summary>
    public int TokenIds { get; }

    /// <summary>Each item as text: a string decoded, a token-id array as its JSON.</summary>
    public IReadOnlyList<string> Texts => _texts ??= [.. _items.Select(ItemText)];

    /// <summary>The prompt tokens, estimated without the tokenizer (token ids counted as given).</summary>
    public int EstimateTokens() => CountTokens(TokenCounter.EstimateText);

    /// <summary>The prompt tokens: each text counted by <paramref name="countText"/>, token ids as given.</summary>
    public int CountTokens(Func<string, int> countText)
    {
        var tokens = TokenIds;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].IsTokens)
            {
                tokens += countText(Texts[i]);
            }
        }
        return tokens;
    }

    /// <exception cref="GatewayException">The value is none of the accepted shapes, an empty array, or has more than <paramref name="maxItems"/> items.</exception>
    internal static TextInputs Read(ReadOnlyMemory<byte> json, RequestField field, string name, int maxItems)
    {
        var reader = new Utf8JsonReader(json.Span[field.Value], ChatRequestParser.ReaderOptions);
        reader.Read();
        var offset = field.ValueStart;
        if (reader.TokenType == JsonTokenType.String)
        {
            return new TextInputs(json, [new Item(offset, field.ValueEnd, false)], TextLength(ref reader), 0);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw RequestBodyScanner.Reject(GatewayError.InvalidType(name, Shapes, RequestBodyScanner.Describe(reader.TokenType)));
        }

        var items = new List<Item>();
        int length = 0, tokenIds = 0;
        var first = JsonTokenType.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = first == JsonTokenType.Number ? tokenIds : items.Count;
            first = first == JsonTokenType.None ? reader.TokenType : first;
            var start = offset + (int)reader.TokenStartIndex;
            switch (first, reader.TokenType)
            {
                case (JsonTokenType.Number, JsonTokenType.Number):
                    RequireTokenId(ref reader, $"{name}[{index}]");
                    tokenIds++;
                    length++;
                    break;
                case (JsonTokenType.String, JsonTokenType.String):
                    length += TextLength(ref reader);
                    items.Add(new Item(start, offset + (int)reader.BytesConsumed, false));
                    break;
                case (JsonTokenType.StartArray, JsonTokenType.StartArray):
                    var ids = TokenArray(ref reader, $"{name}[{index}]");
                    tokenIds += ids;
                    length += ids;
                    items.Add(new Item(start, offset + (int)reader.BytesConsumed, true));
                    break;
                default:
                    throw RequestBodyScanner.Reject(GatewayError.InvalidType($"{name}[{index}]",
                        first == reader.TokenType ? Shapes : $"{RequestBodyScanner.Describe(first)} like the first item", RequestBodyScanner.Describe(reader.TokenType)));
            }
            if (items.Count > maxItems)
            {
                throw RequestBodyScanner.Reject(GatewayError.BadRequest(
                    $"'{name}' has more than {maxItems} items; send at most {maxItems} per request.", name, "too_many_inputs"));
            }
        }
        if (first == JsonTokenType.None)
        {
            throw RequestBodyScanner.Reject(GatewayError.BadRequest($"'{name}' must not be an empty array.", name, "empty_array"));
        }
        if (first == JsonTokenType.Number)
        {
            items.Add(new Item(field.ValueStart, field.ValueEnd, true));
        }
        return new TextInputs(json, [.. items], length, tokenIds);
    }

    private static int TokenArray(ref Utf8JsonReader reader, string name)
    {
        var ids = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw RequestBodyScanner.Reject(GatewayError.InvalidType($"{name}[{ids}]", "a token id (an integer)", RequestBodyScanner.Describe(reader.TokenType)));
            }
            RequireTokenId(ref reader, $"{name}[{ids}]");
            ids++;
        }
        return ids;
    }

    private static void RequireTokenId(ref Utf8JsonReader reader, string name)
    {
        if (!reader.TryGetInt32(out var id) || id < 0)
        {
            throw RequestBodyScanner.Reject(GatewayError.InvalidType(name, "a token id (a non-negative integer)", Encoding.UTF8.GetString(reader.ValueSpan)));
        }
    }

    private static int TextLength(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? reader.GetString()!.Length : Encoding.UTF8.GetCharCount(reader.ValueSpan);

    private string ItemText(Item item)
    {
        var token = _json.Span[item.Start..item.End];
        return item.IsTokens ? Encoding.UTF8.GetString(token) : ChatRequest.DecodeString(token);
    }

    private readonly record struct Item(int Start, int End, bool IsTokens);
}
