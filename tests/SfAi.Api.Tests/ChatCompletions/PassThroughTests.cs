using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>The official OpenAI SDK → gateway → a fake OpenAI upstream replaying captured responses.</summary>
public sealed class PassThroughTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, """, "defaults": { "temperature": 0.25, "max_tokens": 300 }"""));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ChatClient Client(string model = "frontend") =>
        new(model, new ApiKeyCredential("sk-client-key"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

    [Fact]
    public async Task Returns_the_upstream_completion_to_the_SDK()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("What's in this image?")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("The image shows a wooden boardwalk path running through a lush green field or meadow.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(1117, completion.Usage.InputTokenCount);
        Assert.Equal(1024, completion.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task Sends_the_upstream_model_in_place_of_the_alias()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        await Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("gpt-4o-mini", _upstream.LastRequest.Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sends_the_provider_key_not_the_client_key()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        await Client().CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", _upstream.LastRequest.Headers["Authorization"]);
    }

    [Fact]
    public async Task Does_not_carry_an_upstream_cookie_into_the_next_call()
    {
        var completion = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        _upstream.Respond = context =>
        {
            context.Response.Headers.SetCookie = "session=from-the-first-client; Path=/";
            return completion(context);
        };

        await Client().CompleteChatAsync([new UserChatMessage("first")], cancellationToken: TestContext.Current.CancellationToken);
        await Client().CompleteChatAsync([new UserChatMessage("second")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(_upstream.LastRequest.Headers.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task Adds_no_trace_context_header_to_the_upstream_call()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"frontend","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode);
        Assert.False(_upstream.LastRequest.Headers.ContainsKey("traceparent"));
    }

    [Fact]
    public async Task Relays_the_upstream_body_byte_for_byte_including_unknown_fields()
    {
        var upstreamBody = Replay.Fixture("openai/chat-completion.json");
        _upstream.Respond = Replay.Json(upstreamBody);

        var response = await _gateway.Http.PostAsJsonAsync("/v1/chat/completions",
            new JsonObject { ["model"] = "frontend", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) },
            TestContext.Current.CancellationToken);

        Assert.Equal(upstreamBody, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Forwards_unknown_request_fields_untouched()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        var request = JsonNode.Parse("""
            {"model":"frontend","messages":[{"role":"user","content":"hi","x_part":[1,{"a":null}]}],
             "x_vendor_option":{"nested":[true,2.5,"日本語"]},"seed":7,"metadata":{"team":"web"}}
            """)!.AsObject();

        await _gateway.Http.PostAsJsonAsync("/v1/chat/completions", request, TestContext.Current.CancellationToken);

        var sent = _upstream.LastRequest.Json;
        Assert.True(JsonNode.DeepEquals(request["x_vendor_option"], sent["x_vendor_option"]));
        Assert.True(JsonNode.DeepEquals(request["messages"], sent["messages"]));
        Assert.True(JsonNode.DeepEquals(request["metadata"], sent["metadata"]));
        Assert.Equal(7, sent["seed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Applies_alias_defaults_only_where_the_client_sent_none()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        await _gateway.Http.PostAsJsonAsync("/v1/chat/completions",
            JsonNode.Parse("""{"model":"frontend","messages":[{"role":"user","content":"hi"}],"temperature":0.9}"""),
            TestContext.Current.CancellationToken);

        var sent = _upstream.LastRequest.Json;
        Assert.Equal(0.9, sent["temperature"]!.GetValue<double>());
        Assert.Equal(300, sent["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Answers_on_the_path_without_v1_as_old_clients_call_it()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        var response = await _gateway.Http.PostAsJsonAsync("/chat/completions",
            JsonNode.Parse("""{"model":"frontend","messages":[{"role":"user","content":"hi"}]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(_upstream.Requests);
    }
}
