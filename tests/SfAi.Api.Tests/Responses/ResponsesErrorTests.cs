using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Responses;

/// <summary>Bad Responses API requests get OpenAI's error shape with the right status and the field at fault.</summary>
public sealed class ResponsesErrorTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly);

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("""{"model":"echo","input":"hi",}""", 400, null, null)]
    [InlineData("""[1]""", 400, null, null)]
    [InlineData("""{"input":"hi"}""", 400, "model", null)]
    [InlineData("""{"model":7,"input":"hi"}""", 400, "model", null)]
    [InlineData("""{"model":"echo","input":42}""", 400, "input", null)]
    [InlineData("""{"model":"echo","input":"hi","stream":"yes"}""", 400, "stream", null)]
    [InlineData("""{"model":"echo","input":"hi","input":"again"}""", 400, null, null)]
    [InlineData("""{"model":"echo","input":[]}""", 400, "input", null)]
    [InlineData("""{"model":"echo","input":"hi","previous_response_id":"resp_1"}""", 400, "previous_response_id", "unsupported_parameter")]
    [InlineData("""{"model":"nope","input":"hi"}""", 404, "model", "model_not_found")]
    public async Task A_bad_request_gets_an_OpenAI_error(string body, int status, string? param, string? code)
    {
        using var answer = await _gateway.Http.PostAsync("/v1/responses", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType!.MediaType);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Equal(param, error["param"]?.GetValue<string>());
        if (code is not null)
        {
            Assert.Equal(code, error["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_path_answers_without_v1_too()
    {
        using var answer = await _gateway.Http.PostAsync("/responses", new StringContent("""{"model":"echo","input":"hi"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var response = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("response", response["object"]!.GetValue<string>());
        Assert.Equal("You said: hi", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }
}
