using System.Text;
using System.Text.Json;
using SfAi.Core.Json;

namespace SfAi.Core.Protocols.OpenAIChat;

/// <summary>
/// The keys of each open object during a <see cref="Utf8JsonReader"/> pass, to refuse a key an object already has, as
/// <c>JsonDocumentOptions.AllowDuplicateProperties = false</c> does (same message). Keys are positions in the body, compared
/// byte for byte (decoded only when written with escapes); an object past <see cref="LinearLimit"/> keys is checked with a
/// set, so a body of many keys costs no quadratic time. One instance is kept per thread.
/// </summary>
internal sealed class DuplicateKeys
{
    private const int LinearLimit = 16;

    [ThreadStatic]
    private static DuplicateKeys? t_cached;

    private Key[] _keys = new Key[32];
    private int _count;
    private int[] _objectStarts = new int[16];
    private HashSet<string>?[] _sets = new HashSet<string>?[16];
    private int _depth;

    public static DuplicateKeys Rent()
    {
        var keys = t_cached ?? new DuplicateKeys();
        t_cached = null;
        keys._count = 0;
        keys._depth = 0;
        return keys;
    }

    public static void Return(DuplicateKeys keys)
    {
        Array.Clear(keys._sets);
        t_cached = keys;
    }

    /// <summary>A whole body's check: no object in it has a key twice, at any depth.</summary>
    /// <exception cref="JsonException">A key is repeated, or the body is not JSON.</exception>
    public static void Check(ReadOnlySpan<byte> json)
    {
        var keys = Rent();
        try
        {
            var reader = new Utf8JsonReader(json, ChatRequestParser.ReaderOptions);
            while (reader.Read())
            {
                keys.Track(json, ref reader);
            }
        }
        finally
        {
            Return(keys);
        }
    }

    /// <summary>
    /// Takes the reader's current token into account: an object opens or closes its set of keys, a name joins it. A
    /// string or name that escapes an unpaired surrogate is refused too, as <c>JsonNode.Parse</c> and every later read
    /// of it would refuse it (<see cref="JsonReading.UnpairedSurrogateAt"/>).
    /// </summary>
    /// <exception cref="JsonException">The name is already in its object, or the text is no Unicode.</exception>
    public void Track(ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped && JsonReading.UnpairedSurrogateAt(reader.ValueSpan) is var at and >= 0)
        {
            var offset = reader.TokenStartIndex + 1 + at;
            throw new JsonException(
                $"The {(reader.TokenType == JsonTokenType.PropertyName ? "name" : "string")} at byte offset {reader.TokenStartIndex} escapes an unpaired surrogate ({Encoding.UTF8.GetString(reader.ValueSpan.Slice(at, 6))}, byte offset {offset}): JSON text must be Unicode (RFC 8259, section 8.2).");
        }
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                Open();
                break;
            case JsonTokenType.EndObject:
                Close();
                break;
            case JsonTokenType.PropertyName:
                Add(json, ref reader);
                break;
        }
    }

    public void Open()
    {
        if (_depth == _objectStarts.Length)
        {
            Array.Resize(ref _objectStarts, _depth * 2);
            Array.Resize(ref _sets, _depth * 2);
        }
        _objectStarts[_depth] = _count;
        _sets[_depth] = null;
        _depth++;
    }

    public void Close()
    {
        _depth--;
        _count = _objectStarts[_depth];
        _sets[_depth] = null;
    }

    /// <summary>The reader is on a property name of the innermost open object.</summary>
    /// <exception cref="JsonException">The object already has this key.</exception>
    public void Add(ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex + 1;
        var key = new Key(start, start + reader.ValueSpan.Length, reader.ValueIsEscaped);
        var first = _objectStarts[_depth - 1];
        var set = _sets[_depth - 1];
        if (set is null && _count - first >= LinearLimit)
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = first; i < _count; i++)
            {
                set.Add(Name(json, _keys[i]));
            }
            _sets[_depth - 1] = set;
        }
        if (set is not null)
        {
            var name = Name(json, key);
            if (!set.Add(name))
            {
                throw Duplicate(name);
            }
            return;
        }
        for (var i = first; i < _count; i++)
        {
            if (Same(json, _keys[i], key))
            {
                throw Duplicate(Name(json, key));
            }
        }
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
        }
        _keys[_count++] = key;
    }

    private static bool Same(ReadOnlySpan<byte> json, Key a, Key b) => !a.Escaped && !b.Escaped
        ? json[a.Start..a.End].SequenceEqual(json[b.Start..b.End])
        : Name(json, a) == Name(json, b);

    private static string Name(ReadOnlySpan<byte> json, Key key) => key.Escaped
        ? ChatRequest.DecodeString(json[(key.Start - 1)..(key.End + 1)])
        : Encoding.UTF8.GetString(json[key.Start..key.End]);

    private static JsonException Duplicate(string name) => new($"Duplicate property '{name}' encountered during deserialization.");

    private readonly record struct Key(int Start, int End, bool Escaped);
}
