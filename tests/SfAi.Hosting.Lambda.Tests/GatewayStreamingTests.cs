using System.Text;
using System.Text.Json;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>The real gateway behind a Function URL in <c>RESPONSE_STREAM</c> mode: chat completions stream through Lambda.</summary>
public sealed class GatewayStreamingTests : IAsyncLifetime
{
    private RuntimeApiEmulator _runtime = null!;
    private LambdaGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _gateway = await LambdaGateway.StartAsync(_runtime, streaming: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Fact]
    public async Task Streams_a_chat_completion_from_a_Function_URL_event()
    {
        var urlEvent = JsonDocument.Parse(LambdaEvents.Raw("powertools-lambdaFunctionUrlEvent.json")).RootElement.GetRawText();
        var node = System.Text.Json.Nodes.JsonNode.Parse(urlEvent)!.AsObject();
        node["rawPath"] = "/v1/chat/completions";
        node["requestContext"]!["http"]!["method"] = "POST";
        node["headers"]!["content-type"] = "application/json";
        node["body"] = """{"model":"echo","stream":true,"messages":[{"role":"user","content":"hello there"}]}""";
        node["isBase64Encoded"] = false;

        var posted = await _runtime.InvokeAsync(Encoding.UTF8.GetBytes(node.ToJsonString()));

        var delimiter = posted.Body.AsSpan().IndexOf(new byte[8]);
        var prelude = JsonDocument.Parse(posted.Body.AsMemory(0, delimiter)).RootElement;
        var body = Encoding.UTF8.GetString(posted.Body[(delimiter + 8)..]);
        Assert.Equal(200, prelude.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("text/event-stream", prelude.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("hello there", string.Concat(events.Where(e => e != "data: [DONE]")
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Select(delta => delta.TryGetProperty("content", out var content) ? content.GetString() : null))["You said: ".Length..]);
    }
}
