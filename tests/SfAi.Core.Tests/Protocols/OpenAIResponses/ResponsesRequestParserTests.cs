using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIResponses;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Core.Tests.Protocols.OpenAIResponses;

/// <summary>The Responses API request parser, and the pass-through rewrite that changes only <c>model</c>'s value in the client's bytes.</summary>
public sealed class ResponsesRequestParserTests
{
    private static ResponsesRequest Parse(string json) => ResponsesRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"model":"a","input":"hi"}""", "a", false)]
    [InlineData("""{"mod\u0065l":"\u00e9t\u00e9","stream":true,"input":[]}""", "été", true)]
    [InlineData("""{"metadata":{"nested":{"model":"x"}},"model":"b","stream":null}""", "b", false)]
    public void Reads_the_alias_and_stream(string json, string model, bool stream)
    {
        var request = Parse(json);

        Assert.Equal(model, request.Model);
        Assert.Equal(stream, request.Stream);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("{\"model\":\"a\"", null)]
    [InlineData("""{"model":"a","input":[{"role":"user","role":"system"}]}""", null)]
    [InlineData("""{"model":"a","tools":{}}""", "tools")]
    [InlineData("""{"model":"a","instructions":["x"]}""", "instructions")]
    [InlineData("""{"model":""}""", "model")]
    public void Refuses_a_bad_body_with_a_400_naming_the_field(string json, string? param)
    {
        var error = Assert.Throws<GatewayException>(() => Parse(json)).Error;

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Refuses_a_body_nested_deeper_than_256()
    {
        var json = "{\"model\":\"a\",\"x\":" + new string('[', 300) + new string(']', 300) + "}";

        Assert.Equal(400, Assert.Throws<GatewayException>(() => Parse(json)).Error.Status);
    }

    [Theory]
    [InlineData("""{ "model" : "alias" , "input":"hi" }""", """{ "model" : "gpt-5.4" , "input":"hi" }""")]
    [InlineData("""{"input":[{"x":1.50}],"mod\u0065l":"alias","store":false}""", """{"input":[{"x":1.50}],"mod\u0065l":"gpt-5.4","store":false}""")]
    public void The_pass_through_rewrite_changes_only_the_model_value(string client, string upstream)
    {
        var rewritten = OpenAIResponsesPassThrough.Rewrite(Parse(client), "gpt-5.4");

        Assert.Equal(upstream, Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void The_rewrite_escapes_the_upstream_model_as_JSON()
    {
        var rewritten = OpenAIResponsesPassThrough.Rewrite(Parse("""{"model":"a"}"""), "my \"model\"");

        Assert.Equal("""{"model":"my \"model\""}""", Encoding.UTF8.GetString(rewritten));
    }
}
