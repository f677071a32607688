using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI;
using OpenAI.Models;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Endpoints;

/// <summary><c>/v1/models</c> lists the aliases as OpenAI lists models; <c>/health</c> tells whether the map is loaded and sound.</summary>
public sealed class ModelsAndHealthTests : IAsyncLifetime
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

    [Fact]
    public async Task Lists_the_aliases_to_the_SDK()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential("k"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

        OpenAIModelCollection models = await client.GetModelsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["echo", "frontend"], models.Select(m => m.Id));
        Assert.Equal("openai", models.Single(m => m.Id == "frontend").OwnedBy);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/models")]
    public async Task Answers_the_model_list_in_OpenAI_format(string path)
    {
        var body = JsonDocument.Parse(await _gateway.Http.GetStringAsync(path, TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("list", body.GetProperty("object").GetString());
        var first = body.GetProperty("data")[0];
        Assert.Equal("echo", first.GetProperty("id").GetString());
        Assert.Equal("model", first.GetProperty("object").GetString());
        Assert.True(first.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal("echo", first.GetProperty("owned_by").GetString());
    }

    [Fact]
    public async Task Reports_a_loaded_model_map_on_health()
    {
        var response = await _gateway.Http.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("model_map").GetProperty("loaded").GetBoolean());
        Assert.Equal(2, body.GetProperty("model_map").GetProperty("aliases").GetInt32());
    }

    [Fact]
    public async Task Shows_no_key_material_on_health()
    {
        var body = await _gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(ModelMaps.UpstreamKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(ModelMaps.KeyVariable, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Picks_up_a_changed_model_map_while_running()
    {
        await File.WriteAllTextAsync(_gateway.ModelMapPath, ModelMaps.EchoOnly, TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(_gateway.ModelMapPath, DateTime.UtcNow.AddMinutes(1));

        await WaitUntilAsync(async () => (await _gateway.Http.GetStringAsync("/v1/models", TestContext.Current.CancellationToken)).Contains("frontend", StringComparison.Ordinal) is false);

        var response = await Post.JsonAsync(_gateway.Http, Post.Hello);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_and_reports_a_broken_change()
    {
        await File.WriteAllTextAsync(_gateway.ModelMapPath, """{"providers":{},"aliases":{"x":{"provider":"nowhere","model":"m"}}}""", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(_gateway.ModelMapPath, DateTime.UtcNow.AddMinutes(1));

        var configError = Assert.Single(await _gateway.Logs.WaitForAsync("config_error"));

        Assert.Contains("$.aliases.x.provider", configError.GetProperty("message").GetString(), StringComparison.Ordinal);
        var health = JsonDocument.Parse(await _gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement.GetProperty("model_map");
        Assert.True(health.GetProperty("loaded").GetBoolean());
        Assert.Contains("$.aliases.x.provider", health.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Post.JsonAsync(_gateway.Http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""")).StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
