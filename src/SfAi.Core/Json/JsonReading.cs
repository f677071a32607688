using System.Buffers.Text;
using System.Text.Json;

namespace SfAi.Core.Json;

/// <summary>Reading a client's JSON, which may hold text the reader accepts but refuses to decode.</summary>
public static class JsonReading
{
    /// <summary>
    /// Whether the reader's property name or string is exactly <paramref name="utf8Text"/>. A text escaped as a lone
    /// surrogate (<c>"\ud800"</c>) is valid JSON, but <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
    /// throws on it: it names nothing the gateway knows. Text written without escapes is compared as bytes.
    /// </summary>
    public static bool TextIs(this ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Text)
    {
        if (!reader.ValueIsEscaped)
        {
            return !reader.HasValueSequence && reader.ValueSpan.SequenceEqual(utf8Text);
        }
        try
        {
            return reader.ValueTextEquals(utf8Text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Where the escaped text of a JSON string or name (between its quotes, as the reader checked it) escapes a surrogate
    /// without its pair (<c>\ud800</c> alone): JSON's grammar allows it, but it is no Unicode text, and every decoder
    /// refuses it (<see cref="Utf8JsonReader.GetString"/> throws). -1 when there is none.
    /// </summary>
    public static int UnpairedSurrogateAt(ReadOnlySpan<byte> escapedText)
    {
        var i = 0;
        while (escapedText[i..].IndexOf((byte)'\\') is var next and >= 0)
        {
            i += next;
            if (escapedText[i + 1] != 'u')
            {
                i += 2;
                continue;
            }
            var unit = CodeUnit(escapedText, i);
            if (unit is >= 0xD800 and <= 0xDBFF
                && i + 12 <= escapedText.Length && escapedText[i + 6] == '\\' && escapedText[i + 7] == 'u'
                && CodeUnit(escapedText, i + 6) is >= 0xDC00 and <= 0xDFFF)
            {
                i += 12;
                continue;
            }
            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                return i;
            }
            i += 6;
        }
        return -1;
    }

    /// <summary>The code unit of the <c>\uXXXX</c> escape at <paramref name="at"/>.</summary>
    private static int CodeUnit(ReadOnlySpan<byte> text, int at) =>
        Utf8Parser.TryParse(text.Slice(at + 2, 4), out int unit, out _, 'X') ? unit : -1;
}
