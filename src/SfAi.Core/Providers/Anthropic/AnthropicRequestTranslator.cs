using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// OpenAI chat completion request → Anthropic Messages request (https://docs.anthropic.com/en/api/messages).
/// Pure: the same request always gives the same body. A sampling hint Claude has no use for (<c>seed</c>, penalties, …)
/// is left out and named in the completion's <c>droppedParameters</c> under the alias's default
/// <c>unsupportedParameters: drop</c>, or refused with a 400 that names it under <c>error</c>; a parameter whose meaning
/// cannot be kept (<c>n</c> &gt; 1, <c>logprobs</c>, audio output) is always refused. The mapping of every field is documented in <c>docs/anthropic.md</c>.
/// </summary>
public static class AnthropicRequestTranslator
{
    /// <summary>The tool that carries <c>response_format: json_object</c> answers (see <c>docs/anthropic.md</c>).</summary>
    public const string JsonObjectToolName = "json_object";

    /// <summary>Thinking budgets for OpenAI's <c>reasoning_effort</c>.</summary>
    public static IReadOnlyDictionary<string, int> ThinkingBudgets { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["minimal"] = 1_024,
        ["low"] = 2_048,
        ["medium"] = 8_192,
        ["high"] = 24_576,
    };

    private const int MinimumThinkingBudget = 1_024;

    private static readonly HashSet<string> Translated = new(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p",
        "top_k", "stop", "user", "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort",
    };

    /// <summary>Parameters accepted only at the value that means "nothing special", since Claude has no equivalent.</summary>
    private static readonly Dictionary<string, Func<JsonNode, bool>> AcceptedWhenNeutral = new(StringComparer.Ordinal)
    {
        ["n"] = node => IsNumber(node, 1),
        ["logprobs"] = node => node.GetValueKind() == JsonValueKind.False,
        ["presence_penalty"] = node => IsNumber(node, 0),
        ["frequency_penalty"] = node => IsNumber(node, 0),
        ["store"] = node => node.GetValueKind() == JsonValueKind.False,
        ["logit_bias"] = node => node is JsonObject { Count: 0 },
        ["modalities"] = node => node is JsonArray { Count: 1 } m && m[0] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "text",
        ["service_tier"] = node => node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "auto" or "default",
    };

    /// <summary>
    /// Hints that do not change what is asked: under the alias's <c>unsupportedParameters: drop</c> they are left out
    /// (and reported), under <c>error</c> they answer 400.
    /// </summary>
    private static readonly HashSet<string> Droppable = new(StringComparer.Ordinal)
    {
        "seed", "frequency_penalty", "presence_penalty", "logit_bias", "service_tier", "store", "prediction",
        "metadata", "top_logprobs", "safety_identifier", "prompt_cache_key",
    };

    public static JsonObject Translate(ChatRequest request, AliasRoute route) => Translate(request, route, out _);

    /// <summary>Translates, and names in <paramref name="dropped"/> the hints left out under the alias's drop policy.</summary>
    public static JsonObject Translate(ChatRequest request, AliasRoute route, out IReadOnlyList<string> dropped)
    {
        var body = AliasRequestShaper.Shape(request, route);
        dropped = CheckParameters(body, route.UnsupportedParameters);

        var anthropic = new JsonObject { ["model"] = route.UpstreamModel };
        var (system, messages) = AnthropicMessageTranslator.Translate(body["messages"]!.AsArray());
        if (system.Count > 0)
        {
            anthropic["system"] = system;
        }
        anthropic["messages"] = messages;

        var maxTokens = MaxTokens(body, route);
        anthropic["max_tokens"] = maxTokens;
        CopyNumber(body, "temperature", anthropic, "temperature");
        CopyNumber(body, "top_p", anthropic, "top_p");
        CopyNumber(body, "top_k", anthropic, "top_k");
        if (StopSequences(body["stop"]) is { } stop)
        {
            anthropic["stop_sequences"] = stop;
        }
        if (body["user"] is JsonValue user && user.GetValueKind() == JsonValueKind.String)
        {
            anthropic["metadata"] = new JsonObject { ["user_id"] = user.GetValue<string>() };
        }

        var jsonObjectMode = AnthropicToolTranslator.Apply(body, anthropic);
        Thinking(body, anthropic, maxTokens, messages, jsonObjectMode);
        if (request.Stream)
        {
            anthropic["stream"] = true;
        }
        return anthropic;
    }

    private static List<string> CheckParameters(ShapedRequest body, UnsupportedParameterPolicy policy)
    {
        List<string>? dropped = null;
        foreach (var (name, value) in body)
        {
            if (Translated.Contains(name) || value is null)
            {
                continue;
            }
            if (name == "audio" || (name == "modalities" && value is JsonArray m && m.Any(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "audio")))
            {
                throw Unsupported(name, $"'{name}': audio output is not supported by Anthropic models.");
            }
            if (AcceptedWhenNeutral.TryGetValue(name, out var isNeutral) && isNeutral(value))
            {
                continue;
            }
            if (policy == UnsupportedParameterPolicy.Drop && Droppable.Contains(name))
            {
                (dropped ??= []).Add(name);
                continue;
            }
            if (AcceptedWhenNeutral.ContainsKey(name))
            {
                throw Unsupported(name, $"'{name}' = {value.ToJsonString()} is not supported by Anthropic models; remove it or use its default.");
            }
            throw Unsupported(name, $"'{name}' is not supported by Anthropic models, so the gateway does not send it; remove it to call this model.");
        }
        return dropped ?? [];
    }

    private static int MaxTokens(ShapedRequest body, AliasRoute route)
    {
        foreach (var name in new[] { "max_completion_tokens", "max_tokens" })
        {
            if (body[name] is { } node)
            {
                return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var tokens) && tokens > 0
                    ? tokens
                    : throw Invalid(name, $"'{name}' must be a whole number > 0.");
            }
        }
        return route.MaxOutputTokens
            ?? AnthropicModelLimits.MaxOutputFor(route.UpstreamModel)
            ?? throw new GatewayException(new GatewayError(500, "server_error", "model_limit_unknown", null,
                $"The alias '{route.Alias}' needs 'maxOutputTokens' in the model map: the maximum output of '{route.UpstreamModel}' is not known to the gateway.",
                ErrorKinds.ConfigError));
    }

    private static JsonArray? StopSequences(JsonNode? stop) => stop switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [(JsonNode?)JsonValue.Create(v.GetValue<string>())],
        JsonArray items when items.All(i => i is JsonValue s && s.GetValueKind() == JsonValueKind.String) =>
            [.. items.Select(i => (JsonNode?)JsonValue.Create(i!.GetValue<string>()))],
        _ => throw Invalid("stop", "'stop' must be a string or an array of strings."),
    };

    private static void Thinking(ShapedRequest body, JsonObject anthropic, int maxTokens, JsonArray messages, bool jsonObjectMode)
    {
        if (body["reasoning_effort"] is not JsonValue effortNode || effortNode.GetValueKind() != JsonValueKind.String)
        {
            return;
        }
        var effort = effortNode.GetValue<string>();
        if (effort == "none")
        {
            return;
        }
        if (!ThinkingBudgets.TryGetValue(effort, out var budget))
        {
            throw Invalid("reasoning_effort", $"'reasoning_effort' must be one of none, {string.Join(", ", ThinkingBudgets.Keys)}.");
        }
        if (jsonObjectMode)
        {
            throw Unsupported("reasoning_effort",
                "'reasoning_effort' cannot be combined with response_format 'json_object' on Anthropic models (it forces a tool, which extended thinking forbids); use 'json_schema'.");
        }
        if (maxTokens <= MinimumThinkingBudget)
        {
            throw Invalid("max_tokens", $"With 'reasoning_effort', 'max_tokens' must be over {MinimumThinkingBudget}: Claude's thinking counts toward it.");
        }
        if (AnthropicMessageTranslator.EndsInToolLoopWithoutThinking(messages))
        {
            return;
        }
        anthropic["thinking"] = new JsonObject
        {
            ["type"] = "enabled",
            ["budget_tokens"] = Math.Clamp(budget, MinimumThinkingBudget, maxTokens - 1),
        };
    }

    private static void CopyNumber(ShapedRequest from, string name, JsonObject to, string target)
    {
        if (from[name] is not { } node)
        {
            return;
        }
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            throw Invalid(name, $"'{name}' must be a number.");
        }
        to[target] = node.DeepClone();
    }

    private static bool IsNumber(JsonNode node, double expected) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) == expected;

    internal static GatewayException Invalid(string param, string message) =>
        new(GatewayError.BadRequest(message, param, "invalid_value"));

    internal static GatewayException Unsupported(string param, string message) =>
        new(GatewayError.BadRequest(message, param, "unsupported_parameter"));
}
