using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAICompletions;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.Protocols.OpenAICompletions;

public sealed class CompletionsRequestParserTests
{
    private static CompletionsRequest Parse(string json) => CompletionsRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"model":"fim","prompt":"x"}""", false, false)]
    [InlineData("""{"model":"fim","prompt":"x","stream":true}""", true, false)]
    [InlineData("""{"model":"fim","prompt":"x","stream":true,"stream_options":{"include_usage":true}}""", true, true)]
    [InlineData("""{"model":"fim","prompt":"x","stream":true,"stream_options":{"x":[1],"include_usage":false}}""", true, false)]
    [InlineData("""{"model":"fim","prompt":"x","stream":false,"stream_options":{"include_usage":true}}""", false, false)]
    public void Reads_whether_it_streams_and_whether_the_client_wants_the_usage_chunk(string json, bool stream, bool wantsUsage)
    {
        var request = Parse(json);

        Assert.Equal((stream, wantsUsage), (request.Stream, request.ClientWantsUsage));
        Assert.Equal(WireProtocol.OpenAICompletions, request.Protocol);
    }

    [Fact]
    public void A_prompt_is_optional_and_may_be_token_ids()
    {
        Assert.Equal(0, Parse("""{"model":"fim"}""").Input.Count);
        Assert.Equal((1, 3), (Parse("""{"model":"fim","prompt":[5,6,7]}""").Input.Count, Parse("""{"model":"fim","prompt":[5,6,7]}""").Input.TokenIds));
        Assert.Equal(["a", "b"], Parse("""{"model":"fim","prompt":["a","b"]}""").Input.Texts);
    }

    [Fact]
    public void Has_no_chat_form() =>
        Assert.Equal(400, Assert.Throws<GatewayException>(() => Parse("""{"model":"fim","prompt":"x"}""").Chat).Error.Status);

    [Fact]
    public void The_streamed_pass_through_asks_for_usage_and_keeps_the_suffix_as_sent()
    {
        var request = Parse("""{"model":"fim","prompt":"def f():\n    ","suffix":"\n# é \u00e9","stream":true,"stop":["\n\n"]}""");

        var body = Encoding.UTF8.GetString(OpenAIRequestRewriter.Rewrite(request, Routes.Alias("""{ "provider": "openai", "model": "codestral-latest", "kind": "completions" }""")));

        Assert.Equal("""{"model":"codestral-latest","prompt":"def f():\n    ","suffix":"\n# é \u00e9","stream":true,"stop":["\n\n"],"stream_options":{"include_usage":true}}""", body);
    }
}
