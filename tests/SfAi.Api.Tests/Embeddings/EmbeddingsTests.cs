using System.ClientModel;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Embeddings;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Embeddings;

/// <summary>The official OpenAI SDK's <c>EmbeddingClient</c> and raw HTTP → gateway → fake OpenAI and OpenAI-compatible upstreams.</summary>
public sealed class EmbeddingsTests : IAsyncLifetime
{
    private FakeUpstream _openAI = null!;
    private FakeUpstream _compatible = null!;
    private FakeUpstream _anthropic = null!;
    private TestGateway _gateway = null!;
    private string? _lastAnswer;

    public async ValueTask InitializeAsync()
    {
        _openAI = await FakeUpstream.StartAsync();
        _compatible = await FakeUpstream.StartAsync();
        _anthropic = await FakeUpstream.StartAsync();
        _openAI.Respond = FakeEmbeddings.Respond(_openAI, answer => _lastAnswer = answer);
        _compatible.Respond = FakeEmbeddings.Respond(_compatible, answer => _lastAnswer = answer);
        _gateway = await TestGateway.StartAsync(EmbeddingMaps.For(_openAI.V1, _compatible.V1, _anthropic.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAI.DisposeAsync();
        await _compatible.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private EmbeddingClient Client(string model) =>
        new(model, new ApiKeyCredential("sk-client-key"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

    [Fact]
    public async Task The_SDK_gets_a_batch_from_OpenAI_decoded_from_the_base64_it_asks_for()
    {
        OpenAIEmbeddingCollection embeddings = await Client("embed").GenerateEmbeddingsAsync(
            ["first text", "second text", "third text"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, embeddings.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, embeddings[i].Index);
            Assert.Equal(FakeEmbeddings.Vector(i, FakeEmbeddings.DefaultDimensions), embeddings[i].ToFloats().ToArray());
        }
        Assert.Equal(FakeEmbeddings.PromptTokens, embeddings.Usage.InputTokenCount);
        var sent = _openAI.LastRequest;
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("text-embedding-3-small", sent.Json["model"]!.GetValue<string>());
        Assert.Equal("base64", sent.Json["encoding_format"]!.GetValue<string>());
        Assert.Equal(["first text", "second text", "third text"], sent.Json["input"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task The_SDK_dimensions_go_upstream()
    {
        var options = new EmbeddingGenerationOptions { Dimensions = 8 };

        OpenAIEmbedding embedding = await Client("embed").GenerateEmbeddingAsync("one text", options, TestContext.Current.CancellationToken);

        Assert.Equal(8, _openAI.LastRequest.Json["dimensions"]!.GetValue<int>());
        Assert.Equal(FakeEmbeddings.Vector(0, 8), embedding.ToFloats().ToArray());
    }

    [Fact]
    public async Task The_SDK_embeds_through_an_OpenAI_compatible_server_without_a_key()
    {
        OpenAIEmbeddingCollection embeddings = await Client("local-embed").GenerateEmbeddingsAsync(
            ["a", "b"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(FakeEmbeddings.Vector(1, FakeEmbeddings.DefaultDimensions), embeddings[1].ToFloats().ToArray());
        Assert.Equal("nomic-embed-text", _compatible.LastRequest.Json["model"]!.GetValue<string>());
        Assert.False(_compatible.LastRequest.Headers.ContainsKey("Authorization"));
        Assert.Empty(_openAI.Requests);
    }

    [Fact]
    public async Task The_SDK_sends_token_arrays_as_they_are()
    {
        OpenAIEmbeddingCollection embeddings = await Client("embed").GenerateEmbeddingsAsync(
            [new ReadOnlyMemory<int>([1, 2, 3]), new ReadOnlyMemory<int>([4])], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal("[[1,2,3],[4]]", _openAI.LastRequest.Json["input"]!.ToJsonString());
    }

    [Fact]
    public async Task Floats_are_relayed_byte_for_byte_and_the_client_body_goes_up_with_only_model_changed()
    {
        const string body = """{ "input" : ["x", "y"],"user":"u-1", "encoding_format":"float", "model":"embed" , "x_vendor":{"keep":[1, 2.50]} }""";

        using var response = await Post.JsonAsync(_gateway.Http, body, "/v1/embeddings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_lastAnswer, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(
            """{ "input" : ["x", "y"],"user":"u-1", "encoding_format":"float", "model":"text-embedding-3-small" , "x_vendor":{"keep":[1, 2.50]} }""",
            _openAI.LastRequest.Body);
    }

    [Fact]
    public async Task An_upstream_400_comes_back_as_it_came()
    {
        const string upstreamError = """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":null,"code":null}}""";
        _openAI.Respond = Replay.Json(upstreamError, 400);

        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"embed","input":"x"}""", "/v1/embeddings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("This model's maximum context length is 8192 tokens.", (await Post.ErrorAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Answers_without_the_v1_prefix()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"embed","input":"x"}""", "/embeddings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1/embeddings", _openAI.LastRequest.Path);
    }

    [Fact]
    public async Task Logs_one_chat_completion_with_the_endpoint_the_input_count_and_the_cost_but_no_input_text()
    {
        await Client("embed").GenerateEmbeddingsAsync(["abc", "de"], cancellationToken: TestContext.Current.CancellationToken);

        var record = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("embeddings", record.GetProperty("endpoint").GetString());
        Assert.Equal(2, record.GetProperty("inputCount").GetInt32());
        Assert.Equal(5, record.GetProperty("latestUserMessageLength").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("latestUserMessage").ValueKind);
        Assert.Equal("embed", record.GetProperty("alias").GetString());
        Assert.Equal(FakeEmbeddings.PromptTokens, record.GetProperty("tokensIn").GetInt32());
        Assert.Equal(0, record.GetProperty("tokensOut").GetInt32());
        Assert.False(record.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal(0.000024m, record.GetProperty("costUsd").GetDecimal());
    }

    [Theory]
    [InlineData("claude", "chat")]
    [InlineData("frontend", "chat")]
    [InlineData("fim", "completions")]
    public async Task An_alias_of_another_kind_is_a_400_naming_the_embeddings_aliases_and_nothing_goes_upstream(string alias, string kind)
    {
        using var response = await Post.JsonAsync(_gateway.Http, $$"""{"model":"{{alias}}","input":"x"}""", "/v1/embeddings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("model_kind_mismatch", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal(
            $"The model '{alias}' is of kind '{kind}', and POST /v1/embeddings serves only models of kind 'embeddings' (on providers of type openai, openai-compatible, echo). Models of kind 'embeddings' on this gateway: echo-embed, embed, local-embed.",
            error.GetProperty("message").GetString());
        Assert.Empty(_openAI.Requests);
        Assert.Empty(_compatible.Requests);
        Assert.Empty(_anthropic.Requests);
    }

    [Fact]
    public async Task The_SDK_gets_the_400_as_an_exception()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client("claude").GenerateEmbeddingAsync("x", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(400, failure.Status);
        Assert.Empty(_anthropic.Requests);
    }

    [Fact]
    public async Task An_embeddings_alias_on_chat_completions_is_a_400_and_nothing_goes_upstream()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"embed","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.StartsWith("The model 'embed' is of kind 'embeddings', and POST /v1/chat/completions serves only models of kind 'chat'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_openAI.Requests);
    }

    [Fact]
    public async Task More_than_2048_inputs_is_a_400_and_nothing_goes_upstream()
    {
        var inputs = new JsonArray([.. Enumerable.Range(0, 2049).Select(i => JsonValue.Create($"text {i}"))]);

        using var response = await Post.JsonAsync(_gateway.Http, new JsonObject { ["model"] = "embed", ["input"] = inputs }.ToJsonString(), "/v1/embeddings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Equal("'input' has more than 2048 items; send at most 2048 per request.", error.GetProperty("message").GetString());
        Assert.Empty(_openAI.Requests);
    }

    [Fact]
    public async Task Exactly_2048_inputs_go_upstream()
    {
        var inputs = new JsonArray([.. Enumerable.Range(0, 2048).Select(i => JsonValue.Create($"text {i}"))]);

        using var response = await Post.JsonAsync(_gateway.Http, new JsonObject { ["model"] = "embed", ["input"] = inputs }.ToJsonString(), "/v1/embeddings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2048, _openAI.LastRequest.Json["input"]!.AsArray().Count);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"input":"x"}""", "model", "Missing required parameter: 'model'." },
        { """{"model":"embed"}""", "input", "Missing required parameter: 'input'." },
        { """{"model":"embed","input":[]}""", "input", "'input' must not be an empty array." },
        { """{"model":"embed","input":{"text":"x"}}""", "input", "Invalid type for 'input': expected a string, an array of strings, an array of token ids, or an array of token-id arrays, but got an object instead." },
        { """{"model":"embed","input":["x",1]}""", "input[1]", "Invalid type for 'input[1]': expected a string like the first item, but got a number instead." },
        { """{"model":"embed","input":[[1,"x"]]}""", "input[0][1]", "Invalid type for 'input[0][1]': expected a token id (an integer), but got a string instead." },
        { """{"model":"embed","input":"x","encoding_format":"int8"}""", "encoding_format", "Invalid 'encoding_format': 'int8'. Expected 'float' or 'base64'." },
        { """{"model":"embed","input":"x","dimensions":0}""", "dimensions", "Invalid 'dimensions': expected a positive integer, but got 0." },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_a_400_naming_the_field(string body, string param, string message)
    {
        using var response = await Post.JsonAsync(_gateway.Http, body, "/v1/embeddings");

        await Post.AssertBadRequestAsync(response, param, message);
        Assert.Empty(_openAI.Requests);
    }
}
