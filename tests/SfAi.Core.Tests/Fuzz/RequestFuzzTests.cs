using System.Text;
using CsCheck;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;
using SfAi.Core.Providers.Anthropic;
using SfAi.Core.Providers.Echo;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Any bytes through the chat request path (parser, Anthropic translation, pass-through rewrite, echo reply, log view)
/// either go through or are refused with the gateway's own 4xx; no other exception. A failure prints CsCheck's seed.
/// </summary>
public sealed class RequestFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n : 1500;

    private static void RequestPath(byte[] body)
    {
        try
        {
            var request = ChatRequestParser.Parse(body);
            Expect4xxOrSuccess(() => SfAi.Core.Json.JsonWriting.ToUtf8(AnthropicRequestTranslator.Translate(request, Route(), out _)), body);
            Expect4xxOrSuccess(() => OpenAIRequestRewriter.Rewrite(request, Routes.Frontend), body);
            Expect4xxOrSuccess(() => EchoChatProvider.ReplyTo(request) + ConversationText.From(request.Messages).Tail(200)
                + TokenCounter.EstimatePrompt(request.Messages), body);
        }
        catch (GatewayException ex) when (ex.Error.Status is >= 400 and < 500)
        {
        }
    }

    private static void Expect4xxOrSuccess(Func<object> step, byte[] body)
    {
        try
        {
            step();
        }
        catch (GatewayException ex) when (ex.Error.Status is >= 400 and < 500)
        {
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped for body:{Environment.NewLine}{FuzzInputs.Show(body)}{Environment.NewLine}{ex}");
        }
    }

    [Fact]
    public void Arbitrary_bytes_parse_or_are_refused_with_a_4xx() =>
        FuzzInputs.ArbitraryBytes.Sample(RequestPath, iter: Iterations, print: FuzzInputs.Show);

    [Fact]
    public void Random_requests_go_through_or_are_refused_with_a_4xx() =>
        FuzzInputs.RandomRequest("backend").Select(r => Encoding.UTF8.GetBytes(r.ToJsonString())).Sample(RequestPath, iter: Iterations, print: FuzzInputs.Show);

    /// <summary>The hand-written seeds and the captured OpenAI requests, with byte-level edits or nodes replaced.</summary>
    [Fact]
    public void Mutated_seed_requests_go_through_or_are_refused_with_a_4xx()
    {
        string[] seeds =
        [
            .. FuzzInputs.RequestSeeds,
            Fixtures.Text("openai/chat-stream-include-usage.request.json"),
            Fixtures.Text("openai/chat-stream-tool-call-include-usage.request.json"),
        ];
        Gen.Frequency((1, FuzzInputs.MutatedBytes([.. seeds.Select(Encoding.UTF8.GetBytes)])), (1, FuzzInputs.MutatedTrees(seeds)))
            .Sample(RequestPath, iter: Iterations, print: FuzzInputs.Show);
    }

    /// <summary>What the fuzzing found: each of these became a 500 (duplicate keys, a thinking block, image or json_schema of another shape, a name or role escaped as a lone surrogate).</summary>
    [Theory]
    [InlineData("""{"model":"echo","model":"echo","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"backend","max_tokens":2000,"reasoning_effort":"low","messages":[{"role":"user","content":"hi"},{"role":"assistant","thinking_blocks":[{"type":true}],"content":"x"}]}""")]
    [InlineData("""{"model":"backend","messages":[{"role":"user","content":"hi"},{"role":"assistant","thinking_blocks":[{}]}]}""")]
    [InlineData("""{"model":"backend","messages":[{"role":"user","content":[{"type":"image_url","image_url":5}]}]}""")]
    [InlineData("""{"model":"backend","response_format":{"type":"json_schema","json_schema":[{}]},"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"backend","response_format":{"type":"json_schema","json_schema":"x"},"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"backend","messages":[{"role":"\ud800","content":"hi"},{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"backend","messages":[{"\ud800":"x","role":"user","content":[{"\udc00":1,"type":"text","text":"hi"}]}]}""")]
    [InlineData("""{"model":"backend","\ud800":1,"stream":true,"stream_options":{"\ud800":true},"messages":[{"role":"user","content":"hi"}]}""")]
    public void Inputs_the_fuzzing_found_go_through_or_are_refused_with_a_4xx(string body) => RequestPath(Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// The parser accepts 256 levels; the rewrite, the lazy tree and the log's text once read the body again with the
    /// reader's default of 64 and threw (found by the mutated seeds: 70 levels inside <c>stream_options</c>).
    /// </summary>
    [Theory]
    [InlineData("stream_options")]
    [InlineData("content")]
    [InlineData("metadata")]
    public void Every_later_read_of_the_body_allows_the_depth_the_parser_accepted(string where)
    {
        var deep = string.Concat(Enumerable.Repeat("""{"content":[""", 100)) + string.Concat(Enumerable.Repeat("]}", 100));
        var body = where switch
        {
            "content" => $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"hi","x":{{deep}}}]}]}""",
            _ => $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}],"{{where}}":{{deep}}}""",
        };

        RequestPath(Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [InlineData("[{}]")]
    [InlineData("\"x\"")]
    [InlineData("7")]
    public void A_json_schema_that_is_no_object_is_refused_with_a_400(string jsonSchema)
    {
        var request = ChatRequestParser.Parse(Encoding.UTF8.GetBytes(
            $$"""{"model":"backend","response_format":{"type":"json_schema","json_schema":{{jsonSchema}}},"messages":[{"role":"user","content":"hi"}]}"""));

        var ex = Assert.Throws<GatewayException>(() => AnthropicRequestTranslator.Translate(request, Route(), out _));
        Assert.Equal(400, ex.Error.Status);
    }

    [Fact]
    public void Duplicate_keys_are_refused_with_a_400()
    {
        var ex = Assert.Throws<GatewayException>(() => ChatRequestParser.Parse(
            Encoding.UTF8.GetBytes("""{"model":"echo","model":"other","messages":[{"role":"user","content":"hi"}]}""")));
        Assert.Equal(400, ex.Error.Status);
    }

    [Fact]
    public void A_stream_chunk_with_invalid_UTF8_inside_a_string_is_read_as_no_chunk()
    {
        var chunk = Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{"content":"ab"}}]}""");
        chunk[Array.IndexOf(chunk, (byte)'a')] = 0xE0;
        var inspector = new OpenAIResponseInspector();

        Assert.False(inspector.InspectChunk(chunk));
        inspector.InspectCompletion(chunk);
    }
}
