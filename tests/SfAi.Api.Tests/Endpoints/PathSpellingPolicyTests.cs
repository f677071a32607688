using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Endpoints;

/// <summary>
/// Every policy reads the route matched once, never the path: the same request under any spelling of its path the
/// gateway accepts is checked and counted the same way (a check keyed on the path was skipped by a trailing slash).
/// </summary>
public sealed class PathSpellingPolicyTests
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";

    public static TheoryData<string> Spellings() =>
        ["/v1/chat/completions/", "/V1/CHAT/COMPLETIONS", "/chat/completions", "/Chat/Completions/"];

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task The_gateways_request_limit_counts_every_spelling_of_the_path(string spelling)
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--RATE_LIMIT_QPM=2");
        await Post.JsonAsync(gateway.Http, Hello);
        await Post.JsonAsync(gateway.Http, Hello, path: spelling);

        var third = await Post.JsonAsync(gateway.Http, Hello, path: spelling);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await Post.ErrorAsync(third)).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_keys_request_limit_counts_every_spelling_of_the_path(string spelling)
    {
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"qpm":1}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);
        await Post.JsonAsync(gateway.Http, Hello);

        var second = await Post.JsonAsync(gateway.Http, Hello, path: spelling);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        File.Delete(keys);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_key_is_required_under_every_spelling_of_the_path(string spelling)
    {
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"]}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");

        var response = await Post.JsonAsync(gateway.Http, Hello, path: spelling);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        File.Delete(keys);
    }

    [Theory]
    [InlineData("/HEALTH")]
    [InlineData("/health/")]
    public async Task Health_stays_open_under_every_spelling_of_its_path(string spelling)
    {
        var keys = await KeysFiles.WriteAsync($$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"]}]}""");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");

        var response = await gateway.Http.GetAsync(spelling, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        File.Delete(keys);
    }

    [Fact]
    public async Task The_404_lists_the_routes_from_the_table()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly);

        var response = await gateway.Http.GetAsync("/v1/nothing", TestContext.Current.CancellationToken);

        var message = (await Post.ErrorAsync(response)).GetProperty("message").GetString();
        Assert.Contains("POST /v1/chat/completions, GET /v1/models, GET /health", message, StringComparison.Ordinal);
    }
}
