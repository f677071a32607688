using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access;

/// <summary>Only callers with a valid gateway key get through, each to the aliases its key allows.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private string _keysPath = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _keysPath = await KeysFiles.WriteAsync(KeysFiles.Standard());
        _gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly.Replace("\"echo\": { \"provider\": \"echo\", \"model\": \"echo-1\" }",
            "\"echo\": { \"provider\": \"echo\", \"model\": \"echo-1\" }, \"private\": { \"provider\": \"echo\", \"model\": \"echo-1\" }", StringComparison.Ordinal),
            "--AUTH_MODE=keys", $"--API_KEYS_PATH={_keysPath}");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        File.Delete(_keysPath);
    }

    private async Task<HttpResponseMessage> CallAsync(string model, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        headers?.Invoke(request.Headers);
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Lets_the_SDK_through_with_a_valid_key()
    {
        var client = new ChatClient("private", new ApiKeyCredential(KeysFiles.AliceKey), new OpenAIClientOptions { Endpoint = _gateway.V1 });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("ping")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("You said: ping", completion.Content[0].Text);
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("apikey")]
    public async Task Accepts_the_key_in_the_headers_other_SDKs_send(string header)
    {
        var response = await CallAsync("private", h => h.Add(header, KeysFiles.AliceKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_request_without_a_key_with_401()
    {
        var response = await CallAsync("echo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Contains("didn't provide an API key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_wrong_key_with_401_without_echoing_it()
    {
        const string wrong = "sk-sfai-wrong-key-000000000000";

        var response = await CallAsync("echo", h => h.Authorization = new("Bearer", wrong));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = (await Post.ErrorAsync(response)).GetProperty("message").GetString()!;
        Assert.DoesNotContain(wrong, message, StringComparison.Ordinal);
        Assert.Contains("sk-***0000", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_expired_key_with_401()
    {
        var response = await CallAsync("echo", h => h.Authorization = new("Bearer", KeysFiles.ExpiredKey));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await Post.ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_alias_the_key_may_not_use_with_403()
    {
        var response = await CallAsync("private", h => h.Authorization = new("Bearer", KeysFiles.BobKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Logs_a_forbidden_alias_with_the_key_and_the_alias()
    {
        await CallAsync("private", h => h.Authorization = new("Bearer", KeysFiles.BobKey));

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("forbidden", logged.GetProperty("errorType").GetString());
        Assert.Equal("bob", logged.GetProperty("keyName").GetString());
        Assert.Equal("private", logged.GetProperty("alias").GetString());
    }

    [Fact]
    public async Task Lists_only_the_aliases_the_key_may_use()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", KeysFiles.BobKey);

        var body = await (await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("\"echo\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"private\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_health_open()
    {
        var response = await _gateway.Http.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Names_the_key_in_the_completion_log()
    {
        await CallAsync("echo", h => h.Authorization = new("Bearer", KeysFiles.BobKey));

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("bob", logged.GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Logs_a_refused_request_as_anonymous_and_never_the_key()
    {
        const string wrong = "sk-sfai-never-log-me-0000000000";

        await CallAsync("echo", h => h.Add("x-api-key", wrong));

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("unauthorized", logged.GetProperty("errorType").GetString());
        Assert.Equal("anonymous", logged.GetProperty("keyName").GetString());
        Assert.DoesNotContain(_gateway.Logs.Lines, line => line.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_an_expired_key_in_its_llm_error()
    {
        await CallAsync("echo", h => h.Authorization = new("Bearer", KeysFiles.ExpiredKey));

        Assert.Equal("old", Assert.Single(await _gateway.Logs.WaitForAsync("llm_error")).GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Picks_up_a_new_key_from_the_reloaded_keys_file()
    {
        const string carolKey = "sk-sfai-carol-0123456789abcdef";
        await File.WriteAllTextAsync(_keysPath, $$"""{"keys":[{"name":"carol","sha256":"{{KeysFiles.Hash(carolKey)}}","aliases":["echo"]}]}""", TestContext.Current.CancellationToken);
        File.SetLastWriteTimeUtc(_keysPath, DateTime.UtcNow.AddMinutes(1));

        var status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 100 && status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            status = (await CallAsync("echo", h => h.Authorization = new("Bearer", carolKey))).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
