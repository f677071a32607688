using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SfAi.Api.Tests.Support;

/// <summary>Raw HTTP calls to the gateway, for what an SDK would hide (status, headers, bytes).</summary>
public static class Post
{
    public const string Hello = """{"model":"frontend","messages":[{"role":"user","content":"hi"}]}""";
    public const string HelloStream = """{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    public static Task<HttpResponseMessage> JsonAsync(HttpClient http, string json, string path = "/v1/chat/completions", string contentType = "application/json") =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType)), TestContext.Current.CancellationToken);

    /// <summary>The <c>error</c> object of an OpenAI-shaped error body; fails if the body has another shape.</summary>
    /// <summary>The response is a 400 in OpenAI's shape naming <paramref name="param"/> with exactly <paramref name="message"/>.</summary>
    public static async Task AssertBadRequestAsync(HttpResponseMessage response, string param, string message)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var error = body.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), "error.param is missing");
        Assert.True(error.TryGetProperty("code", out _), "error.code is missing");
        return error;
    }
}
