using System.Text.Json;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>Every captured event of <c>shared/fixtures/aws-events</c> through the real gateway, and what Lambda gets back.</summary>
public sealed class CapturedEventTests : IAsyncLifetime
{
    private RuntimeApiEmulator _runtime = null!;
    private LambdaGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _gateway = await LambdaGateway.StartAsync(_runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Theory]
    [InlineData("dotnet-cookies-get-multiple-httpapi-v2-request.json")]
    [InlineData("dotnet-http-api-v2-request-iam-authorizer.json")]
    [InlineData("dotnet-http-api-v2-request-lambda-authorizer.json")]
    [InlineData("dotnet-rawtarget-escaped-slash-in-path-httpapi-v2.json")]
    [InlineData("dotnet-values-get-all-httpapi-v2-with-stage.json")]
    [InlineData("dotnet-values-get-querystring-httpapi-v2-mv-request.json")]
    [InlineData("dotnet-values-put-withbody-httpapi-v2-request.json")]
    [InlineData("go-apigw-v2-request-iam.json")]
    [InlineData("go-apigw-v2-request-jwt-authorizer.json")]
    [InlineData("go-apigw-v2-request-lambda-authorizer.json")]
    [InlineData("go-apigw-v2-request-no-authorizer.json")]
    [InlineData("go-lambda-urls-request.json")]
    [InlineData("powertools-apiGatewayProxyV2Event.json")]
    [InlineData("powertools-lambdaFunctionUrlEvent.json")]
    [InlineData("powertools-lambdaFunctionUrlEventWithHeaders.json")]
    public async Task Answers_an_HTTP_API_or_Function_URL_event_with_a_payload_2_0_response(string fixture)
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw(fixture));

        Assert.Equal("response", posted.Kind);
        var response = posted.Json;
        Assert.Equal(404, response.GetProperty("statusCode").GetInt32());
        var error = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement.GetProperty("error");
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("go-apigw-request.json")]
    [InlineData("dotnet-values-put-withbody-apigateway-request.json")]
    [InlineData("dotnet-http-api-v2-request.json")]
    public async Task Reports_an_event_it_cannot_serve_as_an_invocation_error(string fixture)
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw(fixture));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("InvalidEvent", posted.Json.GetProperty("errorType").GetString());
    }
}
