using System.Text;
using SfAi.Core.Json;

namespace SfAi.Core.Tests.Json;

public sealed class JsonWritingTests
{
    [Fact]
    public void Each_write_returns_only_its_own_json()
    {
        var first = JsonWriting.Write("a long first value", static (writer, text) => writer.WriteStringValue(text));
        var second = JsonWriting.Write(7, static (writer, n) => writer.WriteNumberValue(n));

        Assert.Equal(("\"a long first value\"", "7"), (Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(second)));
    }

    [Fact]
    public void A_write_inside_a_write_gets_its_own_writer()
    {
        byte[] inner = [];
        var outer = JsonWriting.Write(0, (writer, _) =>
        {
            writer.WriteStartObject();
            writer.WriteString("before", "x");
            inner = JsonWriting.Write(0, static (nested, _) => nested.WriteStringValue("inner"));
            writer.WriteString("after", "y");
            writer.WriteEndObject();
        });

        Assert.Equal(("""{"before":"x","after":"y"}""", "\"inner\""), (Encoding.UTF8.GetString(outer), Encoding.UTF8.GetString(inner)));
    }

    [Fact]
    public void Writes_a_json_larger_than_the_kept_buffer()
    {
        var text = new string('x', 200_000);

        var json = JsonWriting.Write(text, static (writer, t) => writer.WriteStringValue(t));
        var next = JsonWriting.Write(1, static (writer, n) => writer.WriteNumberValue(n));

        Assert.Equal((200_002, "1"), (json.Length, Encoding.UTF8.GetString(next)));
    }

    [Fact]
    public void Keeps_japanese_text_as_utf8() =>
        Assert.Equal("\"こんにちは\"", Encoding.UTF8.GetString(JsonWriting.Write("こんにちは", static (writer, t) => writer.WriteStringValue(t))));
}
