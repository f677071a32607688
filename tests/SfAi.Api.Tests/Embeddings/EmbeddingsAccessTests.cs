using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Embeddings;

/// <summary>Keys, aliases and token limits apply to embeddings as to chat.</summary>
public sealed class EmbeddingsAccessTests : IAsyncLifetime
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

    private string _keys = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _keys = await KeysFiles.WriteAsync($$"""
            {"keys":[
              {"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"tpm":40},
              {"name":"bob","sha256":"{{KeysFiles.Hash(KeysFiles.BobKey)}}","aliases":["echo"]}
            ]}
            """);
        _gateway = await TestGateway.StartAsync(Map, "--AUTH_MODE=keys", $"--API_KEYS_PATH={_keys}");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        File.Delete(_keys);
    }

    private async Task<HttpResponseMessage> EmbedAsync(string? key, string input)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings")
        {
            Content = new StringContent($$"""{"model":"echo-embed","input":"{{input}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_call_without_a_key_is_a_401()
    {
        using var response = await EmbedAsync(null, "x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_alias_is_refused()
    {
        using var response = await EmbedAsync(KeysFiles.BobKey, "x");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task The_keys_token_limit_counts_the_inputs()
    {
        using var small = await EmbedAsync(KeysFiles.AliceKey, "hello");
        using var large = await EmbedAsync(KeysFiles.AliceKey, string.Concat(Enumerable.Repeat("many words here ", 40)));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.True(int.Parse(small.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), System.Globalization.CultureInfo.InvariantCulture) < 40);
        Assert.Equal(HttpStatusCode.TooManyRequests, large.StatusCode);
        Assert.Equal("tokens", (await Post.ErrorAsync(large)).GetProperty("type").GetString());
        Assert.Equal("alice", Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion")).GetProperty("keyName").GetString());
    }
}
