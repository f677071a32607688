using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SfAi.Core.Protocols.OpenAIEmbeddings;
using SfAi.Core.Providers.Echo;

namespace SfAi.Core.Tests.Providers.Echo;

public sealed class EchoEmbeddingsTests
{
    private static JsonElement Answer(string json) =>
        JsonDocument.Parse(EchoEmbeddings.Answer(EmbeddingsRequestParser.Parse(Encoding.UTF8.GetBytes(json)), "echo-embed-1").Json).RootElement;

    [Theory]
    [InlineData("hello", 16)]
    [InlineData("", 16)]
    [InlineData("日本語のテキスト", 3)]
    [InlineData("long", 1536)]
    public void Gives_a_unit_vector_of_the_dimensions_asked(string text, int dimensions)
    {
        var vector = EchoEmbeddings.Vector(text, dimensions);

        Assert.Equal(dimensions, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 5);
    }

    [Fact]
    public void The_same_text_always_gets_the_same_vector_and_another_text_another()
    {
        Assert.Equal(EchoEmbeddings.Vector("a", 16), EchoEmbeddings.Vector("a", 16));
        Assert.NotEqual(EchoEmbeddings.Vector("a", 16), EchoEmbeddings.Vector("b", 16));
    }

    [Fact]
    public void Writes_one_embedding_per_input_in_order_with_the_usage()
    {
        var answer = Answer("""{"model":"echo-embed","input":["one","two"],"encoding_format":"float"}""");

        var data = answer.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal(1, data[1].GetProperty("index").GetInt32());
        Assert.Equal(EchoEmbeddings.Vector("two", 16), data[1].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal("echo-embed-1", answer.GetProperty("model").GetString());
        Assert.Equal(answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), answer.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Writes_base64_as_little_endian_float32s()
    {
        var answer = Answer("""{"model":"echo-embed","input":"one","encoding_format":"base64","dimensions":4}""");

        var bytes = Convert.FromBase64String(answer.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var floats = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(EchoEmbeddings.Vector("one", 4), floats);
    }
}
