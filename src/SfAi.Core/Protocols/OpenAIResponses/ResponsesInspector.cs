using System.Text;
using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// Reads what the log needs from Responses API answers (a <c>response</c> object, or stream events) without changing a
/// byte of them: usage (<c>input_tokens</c>, <c>input_tokens_details.cached_tokens</c>, <c>output_tokens</c>, which
/// include <c>output_tokens_details.reasoning_tokens</c>), the final status and the generated text.
/// </summary>
public sealed class ResponsesInspector
{
    private readonly StringBuilder _text = new();

    public TokenUsage? Usage { get; private set; }

    /// <summary>The response's status (<c>completed</c>, <c>incomplete</c>, <c>failed</c>), or the incomplete reason.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>What a <c>response.failed</c> or <c>error</c> event said.</summary>
    public string? UpstreamError { get; private set; }

    /// <summary>Whether a terminal event (<c>response.completed</c>, <c>.incomplete</c>, <c>.failed</c>, <c>error</c>) was read.</summary>
    public bool Ended { get; private set; }

    public string CompletionText => _text.ToString();

    /// <summary>Reads one stream event's data.</summary>
    public void InspectEvent(ReadOnlyMemory<byte> data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return;
            }
            var type = typeElement.GetString();
            switch (type)
            {
                case "response.output_text.delta" or "response.function_call_arguments.delta" when root.TryGetProperty("delta", out var delta)
                                                                                                   && delta.ValueKind == JsonValueKind.String:
                    _text.Append(delta.GetString());
                    break;
                case "response.completed" or "response.incomplete" or "response.failed":
                    Ended = true;
                    if (root.TryGetProperty("response", out var response))
                    {
                        ReadResponse(response);
                    }
                    if (type == "response.failed")
                    {
                        UpstreamError = ErrorMessage(root.TryGetProperty("response", out var failed) ? failed : root) ?? "the response failed";
                    }
                    break;
                case "error":
                    Ended = true;
                    UpstreamError = ErrorMessage(root) ?? "the stream reported an error";
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
    }

    /// <summary>Reads a whole <c>response</c> object.</summary>
    public void InspectResponse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            ReadResponse(document.RootElement);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in output.EnumerateArray())
                {
                    ReadOutputText(item);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
    }

    private void ReadResponse(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (response.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
        {
            FinishReason = status.GetString();
        }
        if (response.TryGetProperty("incomplete_details", out var details) && details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            FinishReason = reason.GetString();
        }
        if (response.TryGetProperty("usage", out var usage))
        {
            Usage = ReadUsage(usage) ?? Usage;
        }
    }

    private void ReadOutputText(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (item.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
        {
            _text.Append(arguments.GetString());
        }
        if (item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    _text.Append(text.GetString());
                }
            }
        }
    }

    /// <summary>The Responses API's <c>usage</c> object as the gateway counts tokens.</summary>
    public static TokenUsage? ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var input = Int(usage, "input_tokens");
        var output = Int(usage, "output_tokens");
        if (input is null && output is null)
        {
            return null;
        }
        var cached = usage.TryGetProperty("input_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Int(details, "cached_tokens") ?? 0
            : 0;
        return new TokenUsage(input ?? 0, output ?? 0, cached);
    }

    private static string? ErrorMessage(JsonElement holder)
    {
        var error = holder.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : holder;
        return error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
    }

    private static int? Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
