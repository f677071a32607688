using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.RateLimiting;

/// <summary>The gateway's and each key's per-minute limits, through real HTTP, with the in-memory store.</summary>
public sealed class RateLimitTests
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Answers_429_with_Retry_After_and_rate_limit_headers_past_RATE_LIMIT_QPM()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--RATE_LIMIT_QPM=2");
        await Post.JsonAsync(gateway.Http, Hello);
        var second = await Post.JsonAsync(gateway.Http, Hello);

        var third = await Post.JsonAsync(gateway.Http, Hello);

        Assert.Equal("0", second.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(int.Parse(third.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("2", third.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("rate_limit_exceeded", (await Post.ErrorAsync(third)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Logs_an_llm_error_of_type_rate_limited()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--RATE_LIMIT_QPM=1");
        await Post.JsonAsync(gateway.Http, Hello);

        await Post.JsonAsync(gateway.Http, Hello);

        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("rate_limited", logged.GetProperty("errorType").GetString());
        Assert.Equal(429, logged.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Lets_exactly_the_limit_through_when_requests_race()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--RATE_LIMIT_QPM=5");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Post.JsonAsync(gateway.Http, Hello)));

        Assert.Equal(5, statuses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, statuses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Applies_a_keys_own_request_limit()
    {
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"qpm":1}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);

        await Post.JsonAsync(gateway.Http, Hello);
        var second = await Post.JsonAsync(gateway.Http, Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("key 'alice'", (await Post.ErrorAsync(second)).GetProperty("message").GetString(), StringComparison.Ordinal);
        File.Delete(keys);
    }

    [Fact]
    public async Task Applies_a_keys_token_limit_and_corrects_it_by_the_real_usage()
    {
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"tpm":40}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);

        var first = await Post.JsonAsync(gateway.Http, Hello);
        await gateway.Logs.WaitForAsync("chat_completion");
        var second = await Post.JsonAsync(gateway.Http, Hello);
        await gateway.Logs.WaitForAsync("chat_completion", 2);
        var third = await Post.JsonAsync(gateway.Http, Hello);

        // Each call reserves its 8 estimated prompt tokens, then is settled at 8 in + 3 out ("You said: hi") = 11:
        // 11 + 11 + 8 fits in 40; a fourth reservation (33 + 8) does not.
        Assert.Equal("32", first.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Equal("21", second.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        await gateway.Logs.WaitForAsync("chat_completion", 3);
        var fourth = await Post.JsonAsync(gateway.Http, Hello);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("tokens", (await Post.ErrorAsync(fourth)).GetProperty("type").GetString());
        File.Delete(keys);
    }
}
