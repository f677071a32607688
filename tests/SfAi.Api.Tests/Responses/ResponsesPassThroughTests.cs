#pragma warning disable OPENAI001
using System.ClientModel;
using System.Net;
using System.Text;
using OpenAI;
using OpenAI.Responses;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Responses;

/// <summary>The official OpenAI SDK's ResponsesClient → gateway → a fake OpenAI upstream serving <c>/v1/responses</c>.</summary>
public sealed class ResponsesPassThroughTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ResponsesClient Client() => new(new ApiKeyCredential("sk-client-key"),
        new ResponsesClientOptions { Endpoint = _gateway.V1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    [Fact]
    public async Task Returns_the_upstream_response_to_the_SDK_and_logs_its_usage()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/responses-create.json"));

        ResponseResult response = await Client().CreateResponseAsync("frontend", "Tell me a bedtime story.", cancellationToken: TestContext.Current.CancellationToken);

        Assert.StartsWith("In a peaceful grove beneath a silver moon", response.GetOutputText());
        Assert.Equal("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", response.Id);
        Assert.Equal("/v1/responses", _upstream.LastRequest.Path);
        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", _upstream.LastRequest.Headers["Authorization"]);
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal(36, log.GetProperty("tokensIn").GetInt32());
        Assert.Equal(87, log.GetProperty("tokensOut").GetInt32());
        Assert.Equal(12, log.GetProperty("cachedTokensIn").GetInt32());
        Assert.False(log.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal("Tell me a bedtime story.", log.GetProperty("latestUserMessage").GetString());
        Assert.Equal("openai-responses", log.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task Relays_the_body_byte_for_byte_but_for_the_model()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/responses-create.json"));
        const string Body = """{ "model" : "frontend", "input":[{"role":"user","content":"hi \u00e9"}],"store":true,"x_future":{"a":[1,2.50]},"previous_response_id":"resp_1" }""";

        using var answer = await _gateway.Http.PostAsync("/responses", new StringContent(Body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Body.Replace("\"frontend\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), _upstream.LastRequest.Body);
        Assert.Equal(Replay.Fixture("openai/responses-create.json"), await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Streams_the_upstream_events_with_their_names_and_logs_the_usage_of_response_completed()
    {
        _upstream.Respond = Replay.StreamFixture("openai/responses-stream-text.txt");
        var text = new StringBuilder();
        ResponseResult? completed = null;

        await foreach (var update in await Client().CreateResponseStreamingAsync("frontend", "Hi", cancellationToken: TestContext.Current.CancellationToken))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal("Hi there! How can I assist you today?", text.ToString());
        Assert.Equal(48, completed!.Usage.TotalTokenCount);
        Assert.True(_upstream.LastRequest.Json["stream"]!.GetValue<bool>());
        var log = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal(37, log.GetProperty("tokensIn").GetInt32());
        Assert.Equal(11, log.GetProperty("tokensOut").GetInt32());
        Assert.Equal(5, log.GetProperty("cachedTokensIn").GetInt32());
        Assert.True(log.GetProperty("stream").GetBoolean());
        Assert.Equal("completed", log.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Relays_the_stream_bytes_as_the_upstream_sent_them()
    {
        _upstream.Respond = Replay.StreamFixture("openai/responses-stream-text.txt");

        using var answer = await _gateway.Http.PostAsync("/v1/responses",
            new StringContent("""{"model":"frontend","input":"Hi","stream":true}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("text/event-stream; charset=utf-8", answer.Content.Headers.ContentType!.ToString());
        Assert.Equal(string.Join("", Replay.Events("openai/responses-stream-text.txt").Select(e => e + "\n\n")), body);
    }

    [Fact]
    public async Task A_stream_that_ends_before_response_completed_ends_with_an_error_event()
    {
        var events = Replay.Events("openai/responses-stream-text.txt");
        _upstream.Respond = Replay.Stream([.. events.Take(events.Count - 1)]);

        using var answer = await _gateway.Http.PostAsync("/v1/responses",
            new StringContent("""{"model":"frontend","input":"Hi","stream":true}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var last = body.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error\ndata: {\"type\":\"error\",\"code\":", last, StringComparison.Ordinal);
        Assert.Contains("the stream ended before response.completed", last, StringComparison.Ordinal);
        var error = (await _gateway.Logs.WaitForAsync("llm_error"))[0];
        Assert.Equal("upstream_error", error.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_upstream_error_reaches_the_SDK_in_OpenAI_shape()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"Previous response with id 'resp_x' not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}}""", 404);

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client().CreateResponseAsync("frontend", "Hi", previousResponseId: "resp_x", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(404, error.Status);
        Assert.Contains("previous_response_not_found", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }
}
