using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Messages;

/// <summary>The clients of the Messages tests: the official Anthropic SDK, and raw HTTP for the captured Claude Code request.</summary>
internal static class MessagesClients
{
    public const string ClientKey = "sk-client-key-never-forwarded";

    public static AnthropicClient Sdk(TestGateway gateway) =>
        new() { BaseUrl = gateway.BaseUrl.AbsoluteUri.TrimEnd('/'), ApiKey = ClientKey, MaxRetries = 0 };

    /// <summary>The captured Claude Code request: its body, with <c>model</c> set to <paramref name="alias"/>.</summary>
    public static string ClaudeCodeBody(string alias)
    {
        var capture = JsonNode.Parse(Replay.Fixture("clients/claude-code-2.1.197-messages-request.json"))!;
        var body = capture["body"]!.AsObject();
        body["model"] = alias;
        return body.ToJsonString();
    }

    /// <summary>The captured Claude Code request's headers that matter upstream.</summary>
    public static string ClaudeCodeBetas =>
        JsonNode.Parse(Replay.Fixture("clients/claude-code-2.1.197-messages-request.json"))!["headers"]!["anthropic-beta"]!.GetValue<string>();

    /// <summary>POSTs <paramref name="body"/> as Claude Code does (<c>?beta=true</c>, bearer token, version and beta headers).</summary>
    public static Task<HttpResponseMessage> PostAsClaudeCodeAsync(TestGateway gateway, string body, string path = "/v1/messages?beta=true", string? betas = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", betas ?? ClaudeCodeBetas);
        request.Headers.Add("anthropic-dangerous-direct-browser-access", "true");
        return gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }

    /// <summary>The events of an SSE body as (name, data) pairs.</summary>
    public static List<(string? Name, string Data)> Events(string sse) =>
        [.. sse.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(block =>
            {
                string? name = null;
                var data = new StringBuilder();
                foreach (var line in block.Split('\n'))
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        name = line["event:".Length..].Trim();
                    }
                    else if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        data.Append(line["data:".Length..].TrimStart());
                    }
                }
                return (name, data.ToString());
            })];
}
