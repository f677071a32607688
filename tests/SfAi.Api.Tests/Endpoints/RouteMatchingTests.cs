using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Endpoints;

/// <summary>The routes match as ASP.NET Core routing matched them: whatever the case, with or without one trailing slash.</summary>
public sealed class RouteMatchingTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly);

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("/v1/chat/completions/")]
    [InlineData("/V1/Chat/Completions")]
    [InlineData("/chat/completions/")]
    public async Task Answers_chat_completions_whatever_the_case_and_a_trailing_slash(string path)
    {
        var response = await Post.JsonAsync(_gateway.Http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""", path: path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/models/")]
    [InlineData("/HEALTH")]
    public async Task Answers_the_read_routes_whatever_the_case_and_a_trailing_slash(string path)
    {
        var response = await _gateway.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Answers_a_GET_on_chat_completions_with_an_OpenAI_shaped_404_naming_the_method()
    {
        var response = await _gateway.Http.GetAsync("/v1/chat/completions", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Contains("GET /v1/chat/completions", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_a_path_that_only_starts_like_a_route_with_a_404()
    {
        var response = await Post.JsonAsync(_gateway.Http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""", path: "/v1/chat/completions/extra");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
