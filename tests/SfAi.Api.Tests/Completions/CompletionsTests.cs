using System.Net;
using SfAi.Api.Tests.Embeddings;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Completions;

/// <summary>Legacy completions (Continue's autocomplete, fill-in-the-middle) over raw HTTP → gateway → fake OpenAI and OpenAI-compatible upstreams.</summary>
public sealed class CompletionsTests : IAsyncLifetime
{
    private const string StreamFixture = "openai/completion-stream-include-usage.txt";

    private FakeUpstream _openAI = null!;
    private FakeUpstream _compatible = null!;
    private FakeUpstream _anthropic = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _openAI = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/completion.json")));
        _compatible = await FakeUpstream.StartAsync(Replay.StreamFixture(StreamFixture));
        _anthropic = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(EmbeddingMaps.For(_openAI.V1, _compatible.V1, _anthropic.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAI.DisposeAsync();
        await _compatible.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private static async Task<IReadOnlyList<string>> EventsAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public async Task Relays_the_completion_unchanged_and_logs_its_usage_and_cost()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0}""", "/v1/completions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Replay.Fixture("openai/completion.json"), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/v1/completions", _openAI.LastRequest.Path);
        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", _openAI.LastRequest.Headers["Authorization"]);
        var record = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("completions", record.GetProperty("endpoint").GetString());
        Assert.False(record.TryGetProperty("inputCount", out _));
        Assert.Equal("Say this is a test", record.GetProperty("latestUserMessage").GetString());
        Assert.Equal(5, record.GetProperty("tokensIn").GetInt32());
        Assert.Equal(7, record.GetProperty("tokensOut").GetInt32());
        Assert.Equal("length", record.GetProperty("finishReason").GetString());
        Assert.Equal(0.000022m, record.GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public async Task Sends_a_fill_in_the_middle_request_byte_for_byte_with_only_the_model_changed()
    {
        const string body = """{"prompt":"def add(a, b):\n    return ","suffix":"\n\nprint(add(1, 2))  # é \u00e9","model":"instruct", "max_tokens" : 64,"stop":["\n\n"],"x_vendor":{"raw":[1.50, true]}}""";

        using var response = await Post.JsonAsync(_gateway.Http, body, "/v1/completions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"prompt":"def add(a, b):\n    return ","suffix":"\n\nprint(add(1, 2))  # é \u00e9","model":"gpt-3.5-turbo-instruct", "max_tokens" : 64,"stop":["\n\n"],"x_vendor":{"raw":[1.50, true]}}""",
            _openAI.LastRequest.Body);
    }

    [Fact]
    public async Task Streams_each_chunk_and_holds_back_the_usage_chunk_the_client_did_not_ask_for()
    {
        const string body = """{"model":"fim","prompt":"def add(a, b):\n    ","suffix":"\n","stream":true}""";

        using var response = await Post.JsonAsync(_gateway.Http, body, "/completions");

        var upstream = Replay.Events(StreamFixture);
        Assert.Equal([.. upstream.Take(4), upstream[5]], await EventsAsync(response));
        Assert.Equal(
            """{"model":"qwen2.5-coder:1.5b-base","prompt":"def add(a, b):\n    ","suffix":"\n","stream":true,"stream_options":{"include_usage":true}}""",
            _compatible.LastRequest.Body);
        var record = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("completions", record.GetProperty("endpoint").GetString());
        Assert.True(record.GetProperty("stream").GetBoolean());
        Assert.Equal(5, record.GetProperty("tokensIn").GetInt32());
        Assert.Equal(7, record.GetProperty("tokensOut").GetInt32());
        Assert.False(record.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal("length", record.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Streams_the_usage_chunk_to_a_client_that_asked_for_it()
    {
        const string body = """{"model":"fim","prompt":"x","stream":true,"stream_options":{"include_usage":true,"x_option":1}}""";

        using var response = await Post.JsonAsync(_gateway.Http, body, "/v1/completions");

        Assert.Equal(Replay.Events(StreamFixture), await EventsAsync(response));
        Assert.Equal("""{"x_option":1,"include_usage":true}""", _compatible.LastRequest.Json["stream_options"]!.ToJsonString());
    }

    [Theory]
    [InlineData("claude", "chat")]
    [InlineData("echo", "chat")]
    [InlineData("embed", "embeddings")]
    public async Task An_alias_of_another_kind_is_a_400_and_nothing_goes_upstream(string alias, string kind)
    {
        using var response = await Post.JsonAsync(_gateway.Http, $$"""{"model":"{{alias}}","prompt":"x","suffix":"y","stream":true}""", "/v1/completions");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal(
            $"The model '{alias}' is of kind '{kind}', and POST /v1/completions serves only models of kind 'completions' (on providers of type openai, openai-compatible). Models of kind 'completions' on this gateway: fim, instruct.",
            error.GetProperty("message").GetString());
        Assert.Empty(_openAI.Requests);
        Assert.Empty(_compatible.Requests);
        Assert.Empty(_anthropic.Requests);
    }

    [Fact]
    public async Task A_completions_alias_on_chat_completions_is_a_400()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"fim","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model_kind_mismatch", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
        Assert.Empty(_compatible.Requests);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"prompt":"x"}""", "model", "Missing required parameter: 'model'." },
        { """{"model":"fim","prompt":{"text":"x"}}""", "prompt", "Invalid type for 'prompt': expected a string, an array of strings, an array of token ids, or an array of token-id arrays, but got an object instead." },
        { """{"model":"fim","prompt":"x","suffix":3}""", "suffix", "Invalid type for 'suffix': expected a string, but got a number instead." },
        { """{"model":"fim","prompt":"x","stream":"yes"}""", "stream", "Invalid type for 'stream': expected a boolean, but got a string instead." },
        { """{"model":"fim","prompt":"x","stream":true,"stream_options":true}""", "stream_options", "Invalid type for 'stream_options': expected an object, but got a boolean instead." },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_a_400_naming_the_field(string body, string param, string message)
    {
        using var response = await Post.JsonAsync(_gateway.Http, body, "/v1/completions");

        await Post.AssertBadRequestAsync(response, param, message);
        Assert.Empty(_compatible.Requests);
    }
}
