using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Messages;

/// <summary>Every failure on the Messages routes comes in Anthropic's error shape, with the status Anthropic gives it.</summary>
public sealed class MessagesErrorTests : IAsyncLifetime
{
    private const string TwoAliases = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" }, "private": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    private string _keysPath = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _keysPath = await KeysFiles.WriteAsync(KeysFiles.Standard());
        _gateway = await TestGateway.StartAsync(TwoAliases, "--AUTH_MODE=keys", $"--API_KEYS_PATH={_keysPath}", "--RATE_LIMIT_QPM=6");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        File.Delete(_keysPath);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string body, string? key = KeysFiles.AliceKey, string path = "/v1/messages?beta=true")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    private static void AssertAnthropicError(JsonNode body, string type)
    {
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal(type, body["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["error"]!["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{\"model\":\"echo\",", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "max_tokens")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":5}", "messages")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[]}", "at least one message")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[{\"role\":\"tool\",\"content\":\"Hi\"}]}", "messages[0].role")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "max_tokens")]
    [InlineData("{\"model\":7,\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "model")]
    [InlineData("{\"model\":\"echo\",\"model\":\"private\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "Duplicate property 'model'")]
    [InlineData("{\"model\":\"echo\",\"max_tokens\":5,\"messages\":[{\"role\":\"\\ud800\",\"content\":\"Hi\"}]}", "unpaired surrogate")]
    public async Task Bad_input_is_a_400_invalid_request_error_naming_the_fault(string body, string named)
    {
        var (status, error) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertAnthropicError(error, "invalid_request_error");
        Assert.Contains(named, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_alias_is_a_404_not_found_error()
    {
        var (status, error) = await PostAsync("""{"model":"claude-opus-4","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertAnthropicError(error, "not_found_error");
        Assert.Contains("claude-opus-4", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_is_a_401_authentication_error_and_a_forbidden_alias_a_403_permission_error()
    {
        var (status, error) = await PostAsync("""{"model":"echo","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", key: "sk-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertAnthropicError(error, "authentication_error");

        (status, error) = await PostAsync("""{"model":"private","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", key: KeysFiles.BobKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        AssertAnthropicError(error, "permission_error");
    }

    [Fact]
    public async Task The_SDK_reads_a_refused_key_as_Anthropics_authentication_error()
    {
        var client = new AnthropicClient { BaseUrl = _gateway.BaseUrl.AbsoluteUri.TrimEnd('/'), ApiKey = "sk-wrong", MaxRetries = 0 };

        var failure = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "echo",
            MaxTokens = 5,
            Messages = [new UserMessageParam("Hi")],
        }, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
    }

    [Fact]
    public async Task Going_over_the_request_limit_is_a_429_rate_limit_error_on_both_routes()
    {
        const string Body = """{"model":"echo","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""";
        HttpStatusCode status = HttpStatusCode.OK;
        JsonNode error = null!;
        for (var i = 0; i < 8 && status != HttpStatusCode.TooManyRequests; i++)
        {
            (status, error) = await PostAsync(Body);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        AssertAnthropicError(error, "rate_limit_error");

        (status, error) = await PostAsync("""{"model":"echo","messages":[{"role":"user","content":"Hi"}]}""", path: "/messages/count_tokens");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        AssertAnthropicError(error, "rate_limit_error");
    }

    [Fact]
    public async Task Another_method_on_the_messages_path_is_an_Anthropic_404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/messages");
        request.Headers.Add("x-api-key", KeysFiles.AliceKey);
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertAnthropicError(JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!, "not_found_error");
    }

    [Fact]
    public async Task The_model_list_is_Anthropics_when_the_request_names_an_anthropic_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeysFiles.AliceKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["echo", "private"], list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(list["data"]!.AsArray(), m => Assert.Equal("model", m!["type"]!.GetValue<string>()));
        Assert.NotNull(list["data"]![0]!["display_name"]);
        Assert.NotNull(list["data"]![0]!["created_at"]);
        Assert.False(list["has_more"]!.GetValue<bool>());
        Assert.Equal("echo", list["first_id"]!.GetValue<string>());
        Assert.Equal("private", list["last_id"]!.GetValue<string>());

        var sdkList = new List<string>();
        var client = new AnthropicClient { BaseUrl = _gateway.BaseUrl.AbsoluteUri.TrimEnd('/'), ApiKey = KeysFiles.AliceKey, MaxRetries = 0 };
        var page = await client.Models.List(cancellationToken: TestContext.Current.CancellationToken);
        sdkList.AddRange(page.Items.Select(m => m.ID));
        Assert.Equal(["echo", "private"], sdkList);
    }
}
