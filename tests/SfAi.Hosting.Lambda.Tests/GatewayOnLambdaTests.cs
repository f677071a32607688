using System.Text;
using System.Text.Json;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>The real gateway behind API Gateway HTTP API: captured events in, payload 2.0 responses out.</summary>
public sealed class GatewayOnLambdaTests : IAsyncLifetime
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";
    private RuntimeApiEmulator _runtime = null!;
    private LambdaGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _gateway = await LambdaGateway.StartAsync(_runtime, "--MAX_REQUEST_BODY_BYTES=2048");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Fact]
    public async Task Answers_a_chat_completion_as_a_payload_2_0_response()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", Hello));

        Assert.Equal("response", posted.Kind);
        var response = posted.Json;
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.False(response.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("application/json", response.GetProperty("headers").GetProperty("Content-Type").GetString());
        var completion = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("You said: hi", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Puts_the_Lambda_request_id_and_trace_id_on_the_completion_log()
    {
        await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", Hello), traceId: "Root=1-67891233-abcdef012345678912345678");

        var logged = await _gateway.Events.WaitForAsync("chat_completion");
        Assert.False(string.IsNullOrEmpty(logged.GetProperty("lambdaRequestId").GetString()));
        Assert.Equal("Root=1-67891233-abcdef012345678912345678", logged.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Answers_the_old_path_without_v1()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/chat/completions", Hello));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Decodes_a_base64_request_body()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", Hello, base64: true));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Returns_a_whole_event_stream_behind_HTTP_API()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", """{"model":"echo","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));

        var body = posted.Json.GetProperty("body").GetString()!;
        Assert.StartsWith("text/event-stream", posted.Json.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("data: {", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strips_the_stage_prefix_of_a_named_stage()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-values-get-all-httpapi-v2-with-stage.json"));

        var error = JsonDocument.Parse(posted.Json.GetProperty("body").GetString()!).RootElement.GetProperty("error");
        Assert.Equal(404, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Contains("GET /api/values", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_oversized_body_with_413()
    {
        var big = $$"""{"model":"echo","messages":[{"role":"user","content":"{{new string('x', 4000)}}"}]}""";

        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", big));

        Assert.Equal(413, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Reports_an_event_that_is_not_an_HTTP_event_as_an_invocation_error()
    {
        var posted = await _runtime.InvokeAsync(Encoding.UTF8.GetBytes("""{"Records":[{"eventSource":"aws:sqs"}]}"""));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("InvalidEvent", posted.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.Equal("InvalidEvent", posted.Json.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Goes_on_to_the_next_invocation_after_an_error()
    {
        await _runtime.InvokeAsync(Encoding.UTF8.GetBytes("not json"));

        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/v1/chat/completions", Hello));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Serves_health_through_the_runtime()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/health", null));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Contains("\"status\":\"ok\"", posted.Json.GetProperty("body").GetString(), StringComparison.Ordinal);
    }
}
