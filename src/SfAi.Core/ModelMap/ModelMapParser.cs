using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Configuration;
using SfAi.Core.Pricing;
using SfAi.Core.Providers.Anthropic;

namespace SfAi.Core.ModelMap;

/// <summary>
/// Reads <c>model_map.json</c> (the rules of <c>schemas/model_map.schema.json</c>) and reports every problem at once,
/// each with its JSON path, so one edit can fix them all.
/// </summary>
public static class ModelMapParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private const decimal MaxTimeoutSeconds = 3600;
    private static readonly string[] OwnedFields = ["model", "messages", "stream"];

    private static readonly string[] RootFields = ["$schema", "description", "providers", "aliases", "prices"];
    private static readonly string[] ProviderFields =
        ["type", "baseUrl", "apiKey", "timeoutSeconds", "connectTimeoutSeconds", "totalTimeoutSeconds", "retry", "circuitBreaker", "description"];
    private static readonly string[] RetryFields = ["attempts", "baseDelayMs"];
    private static readonly string[] CircuitBreakerFields = ["failureRatio", "minimumRequests", "breakSeconds"];
    private static readonly string[] ApiKeyFields = ["env", "secretId"];
    private static readonly string[] AliasFields = ["provider", "model", "defaults", "request", "price", "maxOutputTokens", "fallbacks", "unsupportedParameters", "kind", "description"];
    private static readonly string[] RewriteFields = ["rename", "drop", "pin", "dropBetas"];
    private static readonly string[] PriceFields = ["input", "output", "cachedInput", "cacheWrite"];

    /// <exception cref="ConfigValidationException">The map breaks a rule.</exception>
    /// <summary>A loader that keeps the last good map of <paramref name="source"/> in force.</summary>
    public static ReloadableConfig<ModelMap> Loader(IConfigSource source, TimeProvider time) =>
        new("model map", source, (json, description) => Parse(json, description), time);

    public static ModelMap Parse(ReadOnlySpan<byte> json, string source)
    {
        var problems = new JsonFieldReader();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            throw new ConfigValidationException("model map", source, [$"$: not valid JSON{where}: {ex.Message}"]);
        }

        var map = Read(root, problems);
        return problems.Problems.Count == 0 && map is not null ? map : throw new ConfigValidationException("model map", source, problems.Problems);
    }

    private static ModelMap? Read(JsonNode? root, JsonFieldReader problems)
    {
        if (root is not JsonObject rootObject)
        {
            problems.Problems.Add("$: must be an object with 'providers' and 'aliases'");
            return null;
        }
        problems.CheckFields(rootObject, "$", RootFields);

        var prices = ReadPrices(rootObject["prices"], "$.prices", problems);
        var priceTable = PriceTable.WithOverrides(prices);
        var providers = ReadProviders(problems.Required<JsonObject>(rootObject, "providers", "$", "an object"), problems);
        var aliasesNode = problems.Required<JsonObject>(rootObject, "aliases", "$", "an object");
        if (aliasesNode is { Count: 0 })
        {
            problems.Problems.Add("$.aliases: must declare at least one alias");
        }

        var aliases = new Dictionary<string, AliasRoute>(StringComparer.Ordinal);
        foreach (var (name, node) in aliasesNode ?? [])
        {
            var route = ReadAlias(name, node, $"$.aliases.{name}", providers, priceTable, problems);
            if (route is not null)
            {
                aliases[name] = route;
            }
        }
        foreach (var (name, route) in aliases)
        {
            for (var i = 0; i < route.Fallbacks.Count; i++)
            {
                var fallback = route.Fallbacks[i];
                if (fallback == name || !aliasesNode!.ContainsKey(fallback))
                {
                    problems.Problem($"$.aliases.{name}.fallbacks[{i}]", fallback == name
                        ? "an alias cannot fall back to itself"
                        : $"'{fallback}' is not declared in $.aliases");
                }
                else if (aliases.TryGetValue(fallback, out var other) && other.Kind != route.Kind)
                {
                    problems.Problem($"$.aliases.{name}.fallbacks[{i}]",
                        $"'{fallback}' is of kind {AliasKinds.ToName(other.Kind)}; an alias of kind {AliasKinds.ToName(route.Kind)} falls back only to {AliasKinds.ToName(route.Kind)} aliases");
                }
            }
        }
        return new ModelMap(providers, aliases);
    }

    private static Dictionary<string, ProviderDefinition> ReadProviders(JsonObject? node, JsonFieldReader problems)
    {
        var providers = new Dictionary<string, ProviderDefinition>(StringComparer.Ordinal);
        foreach (var (name, value) in node ?? [])
        {
            var path = $"$.providers.{name}";
            if (value is not JsonObject provider)
            {
                problems.Problems.Add($"{path}: must be an object");
                continue;
            }
            problems.CheckFields(provider, path, ProviderFields);

            var typeName = problems.RequiredString(provider, "type", path);
            if (typeName is null)
            {
                continue;
            }
            if (!ProviderTypes.TryParse(typeName, out var type))
            {
                problems.Problems.Add($"{path}.type: '{typeName}' is not a provider type; use one of {string.Join(", ", ProviderTypes.Names)}");
                continue;
            }

            var baseUrl = ReadBaseUrl(provider, path, type, problems);
            var apiKey = ReadApiKey(provider["apiKey"], $"{path}.apiKey", problems);
            if (apiKey is null && type is ProviderType.OpenAI or ProviderType.Anthropic && provider["apiKey"] is null)
            {
                problems.Problems.Add($"{path}.apiKey: required for type '{typeName}' (an object with 'env' and/or 'secretId')");
            }
            var timeout = problems.PositiveNumber(provider, "timeoutSeconds", path, MaxTimeoutSeconds) is { } seconds
                ? TimeSpan.FromSeconds((double)seconds)
                : ProviderDefinition.DefaultTimeout;
            providers[name] = new ProviderDefinition(name, type, baseUrl, apiKey, timeout)
            {
                ConnectTimeout = Seconds(problems.PositiveNumber(provider, "connectTimeoutSeconds", path, MaxTimeoutSeconds), Providers.UpstreamConnections.DefaultConnectTimeout),
                TotalTimeout = Seconds(problems.PositiveNumber(provider, "totalTimeoutSeconds", path, MaxTimeoutSeconds), TimeSpan.FromMinutes(5)),
                Retry = ReadRetry(provider, path, problems),
                CircuitBreaker = ReadCircuitBreaker(provider, path, problems),
            };
        }
        return providers;
    }

    private static TimeSpan Seconds(decimal? value, TimeSpan fallback) => value is { } seconds ? TimeSpan.FromSeconds((double)seconds) : fallback;

    private static RetryPolicy ReadRetry(JsonObject provider, string path, JsonFieldReader problems)
    {
        if (problems.Optional<JsonObject>(provider, "retry", path, "an object with 'attempts' and/or 'baseDelayMs'") is not { } retry)
        {
            return RetryPolicy.Default;
        }
        problems.CheckFields(retry, $"{path}.retry", RetryFields);
        var attempts = RetryPolicy.Default.Attempts;
        if (retry["attempts"] is not null)
        {
            var value = problems.NonNegativeNumber(retry, "attempts", $"{path}.retry", required: false);
            if (value is { } n && n <= 5 && decimal.Truncate(n) == n)
            {
                attempts = (int)n;
            }
            else if (value is not null)
            {
                problems.Problem($"{path}.retry.attempts", "must be a whole number from 0 to 5");
            }
        }
        var delay = problems.PositiveNumber(retry, "baseDelayMs", $"{path}.retry", 60_000) is { } ms
            ? TimeSpan.FromMilliseconds((double)ms)
            : RetryPolicy.Default.BaseDelay;
        return new RetryPolicy(attempts, delay);
    }

    private static CircuitBreakerPolicy ReadCircuitBreaker(JsonObject provider, string path, JsonFieldReader problems)
    {
        if (problems.Optional<JsonObject>(provider, "circuitBreaker", path, "an object") is not { } breaker)
        {
            return CircuitBreakerPolicy.Default;
        }
        var breakerPath = $"{path}.circuitBreaker";
        problems.CheckFields(breaker, breakerPath, CircuitBreakerFields);
        var defaults = CircuitBreakerPolicy.Default;
        var ratio = problems.PositiveNumber(breaker, "failureRatio", breakerPath, 1) is { } r ? (double)r : defaults.FailureRatio;
        var minimum = problems.PositiveInteger(breaker, "minimumRequests", breakerPath) is { } m ? Math.Max(2, m) : defaults.MinimumRequests;
        // A break under half a second would hardly rest a failing deployment.
        var breakFor = TimeSpan.FromMilliseconds(Math.Max(500, Seconds(problems.PositiveNumber(breaker, "breakSeconds", breakerPath, MaxTimeoutSeconds), defaults.BreakDuration).TotalMilliseconds));
        return new CircuitBreakerPolicy(ratio, minimum, breakFor);
    }

    private static Uri? ReadBaseUrl(JsonObject provider, string path, ProviderType type, JsonFieldReader problems)
    {
        var text = problems.OptionalString(provider, "baseUrl", path);
        if (text is null)
        {
            if (type == ProviderType.OpenAICompatible && provider["baseUrl"] is null)
            {
                problems.Problems.Add($"{path}.baseUrl: required for type 'openai-compatible' (e.g. \"http://127.0.0.1:11434/v1\")");
            }
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Problems.Add($"{path}.baseUrl: '{text}' is not an absolute http(s) URL");
            return null;
        }
        return uri;
    }

    private static SecretReference? ReadApiKey(JsonNode? node, string path, JsonFieldReader problems)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject apiKey)
        {
            problems.Problems.Add($"{path}: must be an object with 'env' and/or 'secretId' (never the key itself)");
            return null;
        }
        problems.CheckFields(apiKey, path, ApiKeyFields);
        var env = problems.OptionalString(apiKey, "env", path);
        var secretId = problems.OptionalString(apiKey, "secretId", path);
        if (string.IsNullOrEmpty(env) && string.IsNullOrEmpty(secretId))
        {
            problems.Problems.Add($"{path}: name at least one of 'env' (an environment variable) or 'secretId' (a Secrets Manager secret)");
            return null;
        }
        return new SecretReference(NullIfEmpty(env), NullIfEmpty(secretId));
    }

    private static AliasRoute? ReadAlias(
        string alias, JsonNode? node, string path, Dictionary<string, ProviderDefinition> providers,
        PriceTable prices, JsonFieldReader problems)
    {
        if (node is not JsonObject entry)
        {
            problems.Problems.Add($"{path}: must be an object with 'provider' and 'model'");
            return null;
        }
        problems.CheckFields(entry, path, AliasFields);
        var providerName = problems.RequiredString(entry, "provider", path);
        var model = problems.RequiredString(entry, "model", path);
        var defaults = problems.Optional<JsonObject>(entry, "defaults", path, "an object of request fields") ?? [];
        foreach (var reserved in OwnedFields.Where(defaults.ContainsKey))
        {
            problems.Problems.Add($"{path}.defaults: must not set '{reserved}' (the gateway owns it)");
        }
        var rewrite = ReadRewrite(entry["request"], $"{path}.request", problems);
        var priceOverride = entry["price"] is { } priceNode ? ReadPrice(priceNode, $"{path}.price", problems) : null;
        var maxOutput = problems.PositiveInteger(entry, "maxOutputTokens", path);
        var fallbacks = problems.StringArray(entry, "fallbacks", path) ?? [];
        var unsupported = problems.OptionalString(entry, "unsupportedParameters", path) switch
        {
            null or "drop" => UnsupportedParameterPolicy.Drop,
            "error" => UnsupportedParameterPolicy.Error,
            var other => Problem(problems, $"{path}.unsupportedParameters: '{other}' is not one of drop, error"),
        };

        var kind = ReadKind(entry, path, problems);

        ProviderDefinition? provider = null;
        if (providerName is not null && !providers.TryGetValue(providerName, out provider))
        {
            var declared = providers.Count == 0 ? "none are declared" : "declared: " + string.Join(", ", providers.Keys);
            problems.Problems.Add($"{path}.provider: '{providerName}' is not declared in $.providers ({declared})");
        }
        if (provider is null || model is null)
        {
            return null;
        }
        if (!AliasKinds.Serves(kind, provider.Type))
        {
            problems.Problems.Add($"{path}.kind: a provider of type '{ProviderTypes.ToName(provider.Type)}' has no {AliasKinds.ToName(kind)} endpoint; {AliasKinds.ToName(kind)} aliases are served by {AliasKinds.ProviderNames(kind)}");
        }
        if (kind == AliasKind.Chat && provider.Type == ProviderType.Anthropic && maxOutput is null && entry["maxOutputTokens"] is null
            && AnthropicModelLimits.MaxOutputFor(model) is null)
        {
            problems.Problems.Add($"{path}.maxOutputTokens: required for '{model}', whose maximum output the gateway does not know (Anthropic requires max_tokens)");
        }
        return new AliasRoute(alias, provider, model, (JsonObject)defaults.DeepClone(), rewrite,
            priceOverride ?? prices.Find(model), maxOutput) { Fallbacks = fallbacks, UnsupportedParameters = unsupported, Kind = kind };
    }

    private static AliasKind ReadKind(JsonObject entry, string path, JsonFieldReader problems)
    {
        var name = problems.OptionalString(entry, "kind", path);
        if (name is null)
        {
            return AliasKind.Chat;
        }
        if (AliasKinds.TryParse(name, out var kind))
        {
            return kind;
        }
        problems.Problems.Add($"{path}.kind: '{name}' is not one of {string.Join(", ", AliasKinds.Names)}");
        return AliasKind.Chat;
    }

    private static UnsupportedParameterPolicy Problem(JsonFieldReader problems, string problem)
    {
        problems.Problems.Add(problem);
        return UnsupportedParameterPolicy.Drop;
    }

    private static RequestRewrite ReadRewrite(JsonNode? node, string path, JsonFieldReader problems)
    {
        if (node is null)
        {
            return RequestRewrite.None;
        }
        if (node is not JsonObject rewrite)
        {
            problems.Problems.Add($"{path}: must be an object with 'rename', 'drop' and/or 'pin'");
            return RequestRewrite.None;
        }
        problems.CheckFields(rewrite, path, RewriteFields);

        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in problems.Optional<JsonObject>(rewrite, "rename", path, "an object mapping old names to new names") ?? [])
        {
            if (to is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            {
                rename[from] = v.GetValue<string>();
            }
            else
            {
                problems.Problems.Add($"{path}.rename.{from}: must be the new parameter name (a non-empty string)");
            }
        }

        var drop = new List<string>();
        var dropNode = problems.Optional<JsonArray>(rewrite, "drop", path, "an array of parameter names") ?? [];
        for (var i = 0; i < dropNode.Count; i++)
        {
            if (dropNode[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                drop.Add(v.GetValue<string>());
            }
            else
            {
                problems.Problems.Add($"{path}.drop[{i}]: must be a parameter name (a string)");
            }
        }

        var pin = problems.Optional<JsonObject>(rewrite, "pin", path, "an object of request fields") ?? [];
        foreach (var reserved in OwnedFields)
        {
            if (rename.ContainsKey(reserved) || rename.ContainsValue(reserved) || drop.Contains(reserved) || pin.ContainsKey(reserved))
            {
                problems.Problems.Add($"{path}: must not rename, drop or pin '{reserved}' (the gateway owns it)");
            }
        }
        var dropBetas = new List<string>();
        var dropBetasNode = problems.Optional<JsonArray>(rewrite, "dropBetas", path, "an array of anthropic-beta names") ?? [];
        for (var i = 0; i < dropBetasNode.Count; i++)
        {
            if (dropBetasNode[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                dropBetas.Add(v.GetValue<string>());
            }
            else
            {
                problems.Problems.Add($"{path}.dropBetas[{i}]: must be a beta name (a string)");
            }
        }
        return new RequestRewrite(rename, drop, (JsonObject)pin.DeepClone()) { DropBetas = dropBetas };
    }

    private static Dictionary<string, ModelPrice> ReadPrices(JsonNode? node, string path, JsonFieldReader problems)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (node is null)
        {
            return prices;
        }
        if (node is not JsonObject table)
        {
            problems.Problems.Add($"{path}: must be an object keyed by upstream model name");
            return prices;
        }
        foreach (var (model, value) in table)
        {
            if (ReadPrice(value, $"{path}.{model}", problems) is { } price)
            {
                prices[model] = price;
            }
        }
        return prices;
    }

    private static ModelPrice? ReadPrice(JsonNode? node, string path, JsonFieldReader problems)
    {
        if (node is not JsonObject price)
        {
            problems.Problems.Add($"{path}: must be an object with 'input' and 'output' (USD per 1M tokens)");
            return null;
        }
        problems.CheckFields(price, path, PriceFields);
        var input = problems.NonNegativeNumber(price, "input", path, required: true);
        var output = problems.NonNegativeNumber(price, "output", path, required: true);
        var cached = problems.NonNegativeNumber(price, "cachedInput", path, required: false);
        var cacheWrite = problems.NonNegativeNumber(price, "cacheWrite", path, required: false);
        return input is { } i && output is { } o ? new ModelPrice(i, o, cached, cacheWrite) : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
