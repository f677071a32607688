using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIEmbeddings;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.Protocols.OpenAIEmbeddings;

public sealed class EmbeddingsRequestParserTests
{
    private static EmbeddingsRequest Parse(string json) => EmbeddingsRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    private static GatewayError Rejection(string json) => Assert.Throws<GatewayException>(() => Parse(json)).Error;

    [Theory]
    [InlineData("\"hello\"", 1, 5, 0)]
    [InlineData("[\"hello\", \"h\\u00e9\"]", 2, 7, 0)]
    [InlineData("[1, 2, 3]", 1, 3, 3)]
    [InlineData("[[1, 2], [3], []]", 3, 3, 3)]
    public void Counts_the_items_and_their_length_in_every_input_shape(string input, int count, int length, int tokenIds)
    {
        var request = Parse($$"""{"model":"embed","input":{{input}}}""");

        Assert.Equal((count, length, tokenIds), (request.Input.Count, request.Input.Length, request.Input.TokenIds));
        Assert.Equal(WireProtocol.OpenAIEmbeddings, request.Protocol);
        Assert.False(request.Stream);
    }

    [Fact]
    public void Decodes_the_texts_and_writes_token_arrays_as_their_json()
    {
        var texts = Parse("""{"model":"embed","input":["a\nb","\u00e9"]}""").Input.Texts;
        var tokens = Parse("""{"model":"embed","input":[[1,2],[3]]}""").Input.Texts;

        Assert.Equal(["a\nb", "é"], texts);
        Assert.Equal(["[1,2]", "[3]"], tokens);
    }

    [Fact]
    public void Reads_the_encoding_format_and_the_dimensions()
    {
        var request = Parse("""{"model":"embed","input":"x","encoding_format":"base64","dimensions":256,"user":"u"}""");

        Assert.True(request.Base64);
        Assert.Equal(256, request.Dimensions);
        Assert.False(Parse("""{"model":"embed","input":"x","encoding_format":null}""").Base64);
    }

    [Fact]
    public void Has_no_chat_form()
    {
        var request = Parse("""{"model":"embed","input":"x"}""");

        var error = Assert.Throws<GatewayException>(() => request.Chat).Error;

        Assert.Equal(400, error.Status);
        Assert.Equal("model_kind_mismatch", error.Code);
    }

    [Fact]
    public void Takes_2048_inputs_and_refuses_2049()
    {
        string Inputs(int n) => $$"""{"model":"embed","input":[{{string.Join(",", Enumerable.Repeat("\"x\"", n))}}]}""";

        Assert.Equal(2048, Parse(Inputs(2048)).Input.Count);
        var error = Rejection(Inputs(2049));
        Assert.Equal(("input", "too_many_inputs"), (error.Param, error.Code));
    }

    [Theory]
    [InlineData("", null, "The request body is empty: send a JSON object with 'model' and 'input'.")]
    [InlineData("[]", null, "The request body must be a JSON object, but got an array.")]
    [InlineData("""{"model":"embed","input":"x","input":"y"}""", null, "We could not parse the JSON body of your request: Duplicate property 'input' encountered during deserialization. (The OpenAI API expects a JSON payload.)")]
    [InlineData("""{"model":"","input":"x"}""", "model", "'model' must not be empty.")]
    [InlineData("""{"model":1,"input":"x"}""", "model", "Invalid type for 'model': expected a string, but got a number instead.")]
    [InlineData("""{"model":"embed","input":null}""", "input", "Missing required parameter: 'input'.")]
    [InlineData("""{"model":"embed","input":[1.5]}""", "input[0]", "Invalid type for 'input[0]': expected a token id (a non-negative integer), but got 1.5 instead.")]
    [InlineData("""{"model":"embed","input":[[1],"x"]}""", "input[1]", "Invalid type for 'input[1]': expected an array like the first item, but got a string instead.")]
    [InlineData("""{"model":"embed","input":[null]}""", "input[0]", "Invalid type for 'input[0]': expected a string, an array of strings, an array of token ids, or an array of token-id arrays, but got null instead.")]
    [InlineData("""{"model":"embed","input":"x","dimensions":1.5}""", "dimensions", "Invalid 'dimensions': expected a positive integer, but got 1.5.")]
    public void Rejects_a_bad_request_naming_the_field(string json, string? param, string message)
    {
        var error = Rejection(json);

        Assert.Equal((400, param, message), (error.Status, error.Param, error.Message));
    }

    [Fact]
    public void Rejects_a_body_that_is_not_UTF8()
    {
        var error = Assert.Throws<GatewayException>(() => EmbeddingsRequestParser.Parse(new byte[] { (byte)'{', 0xFF, (byte)'}' })).Error;

        Assert.Equal("invalid_encoding", error.Code);
    }

    [Fact]
    public void The_pass_through_body_keeps_every_field_rewrites_the_model_and_adds_the_alias_defaults()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "text-embedding-3-large", "kind": "embeddings", "defaults": { "dimensions": 256 } }""");
        var request = Parse("""{"input":["a", "b"],"model":"embed","encoding_format":"base64","x_vendor":{"k":[1, 2.50]}}""");

        var body = Encoding.UTF8.GetString(OpenAIRequestRewriter.Rewrite(request, route));

        Assert.Equal("""{"input":["a", "b"],"model":"text-embedding-3-large","encoding_format":"base64","x_vendor":{"k":[1, 2.50]},"dimensions":256}""", body);
    }
}
