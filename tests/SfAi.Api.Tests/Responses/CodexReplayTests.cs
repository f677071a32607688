using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Responses;

/// <summary>The request Codex CLI 0.171.0 sent (captured, trimmed), replayed raw with its headers through an OpenAI and an Anthropic alias.</summary>
public sealed class CodexReplayTests : IAsyncLifetime
{
    private FakeUpstream _openAI = null!;
    private FakeUpstream _anthropic = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _openAI = await FakeUpstream.StartAsync();
        _anthropic = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.EveryKind(_openAI.V1, _anthropic.V1, _openAI.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAI.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    /// <summary>The captured body for <paramref name="alias"/>, without the placeholder string its capturer left for the tools it cut.</summary>
    private static string CodexBody(string alias)
    {
        var capture = JsonNode.Parse(Replay.Fixture("clients/codex-0.171.0-responses-request.json"))!;
        var body = capture["body"]!.AsObject();
        var tools = body["tools"]!.AsArray();
        foreach (var placeholder in tools.Where(t => t is JsonValue).ToList())
        {
            tools.Remove(placeholder);
        }
        body["model"] = alias;
        return body.ToJsonString();
    }

    private async Task<(HttpStatusCode Status, string Body)> ReplayAsync(string body)
    {
        var capture = JsonNode.Parse(Replay.Fixture("clients/codex-0.171.0-responses-request.json"))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in capture["headers"]!.AsObject())
        {
            if (name is not ("content-type" or "authorization" or "accept-encoding"))
            {
                request.Headers.TryAddWithoutValidation(name, value!.GetValue<string>());
            }
        }
        using var answer = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Through_an_OpenAI_alias_the_body_goes_up_unchanged_but_for_the_model()
    {
        _openAI.Respond = Replay.StreamFixture("openai/responses-stream-text.txt");
        var body = CodexBody("frontend");

        var (status, answer) = await ReplayAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/v1/responses", _openAI.LastRequest.Path);
        Assert.Equal(body.Replace("\"model\":\"frontend\"", "\"model\":\"gpt-5.4\"", StringComparison.Ordinal), _openAI.LastRequest.Body);
        Assert.Equal(string.Join("", Replay.Events("openai/responses-stream-text.txt").Select(e => e + "\n\n")), answer);
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal("What is 2+2?", log.GetProperty("latestUserMessage").GetString());
        Assert.Equal(37, log.GetProperty("tokensIn").GetInt32());
    }

    [Fact]
    public async Task Through_an_Anthropic_alias_it_is_translated_and_answered_as_Responses_events()
    {
        _anthropic.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");

        var (status, answer) = await ReplayAsync(CodexBody("backend"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("event: response.created\n", answer, StringComparison.Ordinal);
        Assert.Contains("event: response.output_text.delta\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\"status\":\"completed\"", answer.TrimEnd().Split("\n\n")[^1].Split(",\"error\"")[0], StringComparison.Ordinal);
        var sent = _anthropic.LastRequest.Json;
        Assert.Equal("claude-sonnet-4-5", sent["model"]!.GetValue<string>());
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.StartsWith("You are a coding agent running in the Codex CLI", sent["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["exec_command", "write_stdin", "request_user_input", "view_image"], sent["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        var messages = sent["messages"]!.AsArray();
        Assert.All(messages, m => Assert.Equal("user", m!["role"]!.GetValue<string>()));
        Assert.Equal("What is 2+2?", messages[^1]!["content"]!.AsArray()[^1]!["text"]!.GetValue<string>());
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal("What is 2+2?", log.GetProperty("latestUserMessage").GetString());
        Assert.Equal("stop", log.GetProperty("finishReason").GetString());
    }
}
