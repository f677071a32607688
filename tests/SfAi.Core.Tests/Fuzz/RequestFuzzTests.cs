using System.Text;
using CsCheck;
using SfAi.Core.Chat;
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
}
