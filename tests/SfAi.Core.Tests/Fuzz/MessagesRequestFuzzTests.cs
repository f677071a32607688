using System.Text;
using CsCheck;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Providers.Anthropic;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Any bytes through the Messages request path: the parser refuses them with a 4xx, or what it accepts goes through
/// every later step without any exception — the pivot, the pass-through body, the OpenAI rewrite, the log's view —
/// since a pass-through builds the pivot for the log only after the client has its answer.
/// </summary>
public sealed class MessagesRequestFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n : 1500;

    private static readonly string[] Seeds =
    [
        """{"model":"backend","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""",
        """{"model":"backend","max_tokens":32000,"stream":true,"system":[{"type":"text","text":"Be terse.","cache_control":{"type":"ephemeral"}}],"metadata":{"user_id":"{\"device\":\"x\"}"},"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"document","source":{"type":"text","data":"doc"}}]},{"role":"system","content":"Mid"},{"role":"user","content":"Go"}]}""",
        """{"model":"backend","max_tokens":100,"tools":[{"name":"weather","description":"W","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true},"stop_sequences":["END"],"temperature":0.2,"top_p":0.9,"top_k":3,"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Rome"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"hot"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}]}""",
    ];

    private static void MessagesPath(byte[] body)
    {
        MessagesRequest request;
        try
        {
            request = MessagesRequestParser.Parse(body);
        }
        catch (GatewayException ex) when (ex.Error.Status is >= 400 and < 500)
        {
            return;
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped the parser for body:{Environment.NewLine}{FuzzInputs.Show(body)}{Environment.NewLine}{ex}");
        }
        try
        {
            _ = AnthropicPassThroughBody.Write(request, Route());
            _ = OpenAIRequestRewriter.Rewrite(request.Chat, Routes.Frontend);
            _ = ConversationText.From(request.Chat).Tail(200) + TokenCounter.EstimatePrompt(request.Chat.Messages);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped after the parser accepted the body:{Environment.NewLine}{FuzzInputs.Show(body)}{Environment.NewLine}{ex}");
        }
    }

    [Fact]
    public void Arbitrary_bytes_are_refused_with_a_4xx_or_go_through_every_step() =>
        FuzzInputs.ArbitraryBytes.Sample(MessagesPath, iter: Iterations, print: FuzzInputs.Show);

    [Fact]
    public void Mutated_requests_are_refused_with_a_4xx_or_go_through_every_step() =>
        FuzzInputs.MutatedTrees(Seeds).Sample(MessagesPath, iter: Iterations, print: FuzzInputs.Show);

    [Fact]
    public void Byte_edited_requests_are_refused_with_a_4xx_or_go_through_every_step() =>
        FuzzInputs.MutatedBytes([.. Seeds.Select(Encoding.UTF8.GetBytes)]).Sample(MessagesPath, iter: Iterations, print: FuzzInputs.Show);
}
