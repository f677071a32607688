using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI;
using OpenAI.Embeddings;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Embeddings;

/// <summary>The echo provider's offline embeddings, through the official SDK and raw HTTP; and the limits on the request.</summary>
public sealed class EchoEmbeddingsTests : IAsyncLifetime
{
    private const string Map = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": {
            "echo-embed": { "provider": "echo", "model": "echo-embed-1", "kind": "embeddings" },
            "echo": { "provider": "echo", "model": "echo-1" }
          }
        }
        """;

    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(Map, "--MAX_REQUEST_BODY_BYTES=4096", "--LOG_USER_TEXT=truncate:6", "--ALLOW_ORIGINS=https://app.example.com");

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private EmbeddingClient Client() =>
        new("echo-embed", new ApiKeyCredential("sk-client-key"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

    private static float Norm(ReadOnlyMemory<float> vector) => MathF.Sqrt(vector.ToArray().Sum(x => x * x));

    [Fact]
    public async Task Gives_the_SDK_deterministic_unit_vectors_of_16_dimensions()
    {
        OpenAIEmbeddingCollection first = await Client().GenerateEmbeddingsAsync(["same", "other", "same"], cancellationToken: TestContext.Current.CancellationToken);
        OpenAIEmbeddingCollection again = await Client().GenerateEmbeddingsAsync(["same"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(first, embedding => Assert.Equal(16, embedding.ToFloats().Length));
        Assert.All(first, embedding => Assert.Equal(1f, Norm(embedding.ToFloats()), 4));
        Assert.Equal(first[0].ToFloats().ToArray(), first[2].ToFloats().ToArray());
        Assert.Equal(first[0].ToFloats().ToArray(), again[0].ToFloats().ToArray());
        Assert.NotEqual(first[0].ToFloats().ToArray(), first[1].ToFloats().ToArray());
        Assert.Equal("echo-embed-1", first.Model);
    }

    [Fact]
    public async Task Honours_the_SDK_dimensions()
    {
        OpenAIEmbedding embedding = await Client().GenerateEmbeddingAsync("text", new EmbeddingGenerationOptions { Dimensions = 5 }, TestContext.Current.CancellationToken);

        Assert.Equal(5, embedding.ToFloats().Length);
        Assert.Equal(1f, Norm(embedding.ToFloats()), 4);
    }

    [Fact]
    public async Task Writes_floats_that_match_the_base64_the_SDK_decodes()
    {
        OpenAIEmbedding decoded = await Client().GenerateEmbeddingAsync("text", cancellationToken: TestContext.Current.CancellationToken);

        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"echo-embed","input":"text","encoding_format":"float"}""", "/v1/embeddings");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var floats = body.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(decoded.ToFloats().ToArray(), floats);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("embedding", body.GetProperty("data")[0].GetProperty("object").GetString());
    }

    [Fact]
    public async Task Logs_the_inputs_as_LOG_USER_TEXT_says_when_it_is_set()
    {
        await Client().GenerateEmbeddingsAsync(["first input", "second"], cancellationToken: TestContext.Current.CancellationToken);

        var record = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("embeddings", record.GetProperty("endpoint").GetString());
        Assert.Equal(2, record.GetProperty("inputCount").GetInt32());
        Assert.Equal("first ", record.GetProperty("latestUserMessage").GetString());
        Assert.Equal(17, record.GetProperty("latestUserMessageLength").GetInt32());
        Assert.True(record.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal(0m, record.GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public async Task A_browser_may_embed_from_an_allowed_origin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/embeddings");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings")
        {
            Content = new StringContent("""{"model":"echo-embed","input":"x"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "https://app.example.com");

        using var preflightResponse = await _gateway.Http.SendAsync(preflight, TestContext.Current.CancellationToken);
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://app.example.com", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_body_over_MAX_REQUEST_BODY_BYTES_is_a_413()
    {
        var input = new string('x', 5000);

        using var response = await Post.JsonAsync(_gateway.Http, $$"""{"model":"echo-embed","input":"{{input}}"}""", "/v1/embeddings");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task More_dimensions_than_echo_writes_is_a_400()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"echo-embed","input":"x","dimensions":4000}""", "/v1/embeddings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dimensions", (await Post.ErrorAsync(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_echo_chat_alias_cannot_embed()
    {
        using var response = await Post.JsonAsync(_gateway.Http, """{"model":"echo","input":"x"}""", "/v1/embeddings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("Models of kind 'embeddings' on this gateway: echo-embed.", (await Post.ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
