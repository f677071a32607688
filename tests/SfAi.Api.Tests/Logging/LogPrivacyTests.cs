using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Logging;

/// <summary>What the logs must never hold, and how much user text they keep.</summary>
public sealed class LogPrivacyTests
{
    private const string Secret = "the launch code is 0000";

    [Theory]
    [InlineData("hash", "sha256:")]
    [InlineData("truncate:7", "the lau")]
    public async Task Shapes_user_text_by_the_log_policy(string policy, string expectedStart)
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, $"--LOG_USER_TEXT={policy}");

        await Post.JsonAsync(gateway.Http, $$"""{"model":"echo","messages":[{"role":"user","content":"{{Secret}}"}]}""");

        var logged = Assert.Single(await gateway.Logs.WaitForAsync("chat_completion"));
        Assert.StartsWith(expectedStart, logged.GetProperty("latestUserMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(Secret.Length, logged.GetProperty("latestUserMessageLength").GetInt32());
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keeps_no_user_text_when_the_policy_is_off()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--LOG_USER_TEXT=off");

        await Post.JsonAsync(gateway.Http, $$"""{"model":"echo","messages":[{"role":"user","content":"{{Secret}}"}]}""");

        var logged = Assert.Single(await gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, logged.GetProperty("latestUserMessage").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, logged.GetProperty("contextTailPreview").ValueKind);
    }

    [Fact]
    public async Task Never_logs_client_or_provider_keys_even_at_the_most_verbose_level()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(upstream.V1), "--LOG_LEVEL=Verbose");
        const string clientKey = "sk-client-secret-9876543210";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Post.Hello, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", clientKey);
        request.Headers.Add("x-api-key", clientKey);
        request.Headers.Add("apikey", clientKey);

        using var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await gateway.Logs.WaitForAsync("chat_completion");

        Assert.Equal($"Bearer {ModelMaps.UpstreamKey}", upstream.LastRequest.Headers["Authorization"]);
        Assert.True(gateway.Logs.Lines.Count > 5, "verbose logging wrote the framework's events too");
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(clientKey, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(ModelMaps.UpstreamKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Warns_once_per_upstream_model_without_a_price()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var map = ModelMaps.OpenAI(upstream.V1).Replace("\"gpt-4o-mini\"", "\"house-model-7b\"", StringComparison.Ordinal);
        await using var gateway = await TestGateway.StartAsync(map);

        await Post.JsonAsync(gateway.Http, Post.Hello);
        await Post.JsonAsync(gateway.Http, Post.Hello);

        var completions = await gateway.Logs.WaitForAsync("chat_completion", 2);
        Assert.All(completions, c => Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("costUsd").ValueKind));
        var warning = Assert.Single(gateway.Logs.Events("price_unknown"));
        Assert.Equal("house-model-7b", warning.GetProperty("upstreamModel").GetString());
    }
}
