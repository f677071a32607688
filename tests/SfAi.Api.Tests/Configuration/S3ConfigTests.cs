using System.Net;
using System.Text.Json;
using SfAi.Api.Tests.Support;
using SfAi.Core.Configuration;

namespace SfAi.Api.Tests.Configuration;

/// <summary>The model map and the keys file read from S3 by the real AmazonS3Client, with ETag-conditional refreshes.</summary>
public sealed class S3ConfigTests : IAsyncLifetime
{
    private const string MapObject = "sfai-config/config/model_map.json";
    private const string MapUri = "s3://sfai-config/config/model_map.json";
    private const string TwoAliases = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" }, "second": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    private FakeS3 _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        _s3 = await FakeS3.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _s3.DisposeAsync();

    private Task<TestGateway> GatewayAsync(params string[] settings) => TestGateway.StartAsync(ModelMaps.EchoOnly,
        [$"--MODEL_MAP_S3_URI={MapUri}", $"--AWS_ENDPOINT_URL_S3={_s3.Endpoint.AbsoluteUri}", .. settings]);

    private static async Task<JsonElement> HealthAsync(TestGateway gateway) =>
        JsonDocument.Parse(await gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement.GetProperty("model_map");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        Assert.True(await condition(), "the condition did not come true in 5 s");
    }

    [Fact]
    public async Task Loads_the_model_map_from_S3()
    {
        _s3.Put(MapObject, TwoAliases);
        await using var gateway = await GatewayAsync();

        var models = await gateway.Http.GetStringAsync("/v1/models", TestContext.Current.CancellationToken);

        Assert.Contains("\"second\"", models, StringComparison.Ordinal);
        Assert.Equal(MapUri, (await HealthAsync(gateway)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task Asks_S3_with_the_last_ETag_so_an_unchanged_map_costs_a_304()
    {
        _s3.Put(MapObject, TwoAliases);
        await using var gateway = await GatewayAsync();

        await WaitUntilAsync(() => Task.FromResult(_s3.Gets.Count >= 3));

        var gets = _s3.Gets.ToList();
        Assert.Equal(200, gets[0].Status);
        Assert.Null(gets[0].IfNoneMatch);
        Assert.All(gets.Skip(1), get => Assert.Equal(304, get.Status));
        Assert.All(gets.Skip(1), get => Assert.StartsWith("\"", get.IfNoneMatch, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Picks_up_a_new_version_of_the_object()
    {
        _s3.Put(MapObject, ModelMaps.EchoOnly);
        await using var gateway = await GatewayAsync();

        _s3.Put(MapObject, TwoAliases);

        await WaitUntilAsync(async () => (await gateway.Http.GetStringAsync("/v1/models", TestContext.Current.CancellationToken)).Contains("\"second\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keeps_the_last_good_map_when_the_new_version_is_invalid()
    {
        _s3.Put(MapObject, TwoAliases);
        await using var gateway = await GatewayAsync();

        _s3.Put(MapObject, """{"providers":{},"aliases":{}}""");

        var configError = Assert.Single(await gateway.Logs.WaitForAsync("config_error"));
        Assert.Contains("$.aliases: must declare at least one alias", configError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Post.JsonAsync(gateway.Http, """{"model":"second","messages":[{"role":"user","content":"hi"}]}""")).StatusCode);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_when_the_object_is_deleted()
    {
        _s3.Put(MapObject, TwoAliases);
        await using var gateway = await GatewayAsync();

        _s3.Delete(MapObject);

        await gateway.Logs.WaitForAsync("config_error");
        Assert.Contains("does not exist", (await HealthAsync(gateway)).GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Post.JsonAsync(gateway.Http, """{"model":"second","messages":[{"role":"user","content":"hi"}]}""")).StatusCode);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_through_an_S3_outage()
    {
        _s3.Put(MapObject, TwoAliases);
        await using var gateway = await GatewayAsync();

        _s3.Down = true;

        await gateway.Logs.WaitForAsync("config_error");
        Assert.True((await HealthAsync(gateway)).GetProperty("loaded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Post.JsonAsync(gateway.Http, """{"model":"second","messages":[{"role":"user","content":"hi"}]}""")).StatusCode);
    }

    [Fact]
    public async Task Refuses_to_start_without_a_map_naming_the_S3_URI()
    {
        var error = await Assert.ThrowsAsync<ConfigLoadException>(() => GatewayAsync());

        Assert.Contains(MapUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_the_keys_file_from_the_config_bucket()
    {
        _s3.Put(MapObject, TwoAliases);
        _s3.Put("sfai-config/config/api_keys.json", $$"""{"keys":[{"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["second"]}]}""");
        await using var gateway = await GatewayAsync("--AUTH_MODE=keys", "--API_KEYS_S3_URI=s3://sfai-config/config/api_keys.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"second","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", KeysFiles.AliceKey);

        var allowed = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var anonymous = await Post.JsonAsync(gateway.Http, """{"model":"second","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
