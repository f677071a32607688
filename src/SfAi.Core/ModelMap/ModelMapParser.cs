using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    private static readonly string[] RootFields = ["$schema", "description", "providers", "aliases", "prices"];
    private static readonly string[] ProviderFields = ["type", "baseUrl", "apiKey", "timeoutSeconds", "description"];
    private static readonly string[] ApiKeyFields = ["env", "secretId"];
    private static readonly string[] AliasFields = ["provider", "model", "defaults", "request", "price", "maxOutputTokens", "description"];
    private static readonly string[] RewriteFields = ["rename", "drop", "pin"];
    private static readonly string[] PriceFields = ["input", "output", "cachedInput", "cacheWrite"];

    /// <exception cref="ModelMapValidationException">The map breaks a rule.</exception>
    public static ModelMap Parse(ReadOnlySpan<byte> json, string source)
    {
        var problems = new List<string>();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            throw new ModelMapValidationException(source, [$"$: not valid JSON{where}: {ex.Message}"]);
        }

        var map = Read(root, problems);
        return problems.Count == 0 && map is not null ? map : throw new ModelMapValidationException(source, problems);
    }

    private static ModelMap? Read(JsonNode? root, List<string> problems)
    {
        if (root is not JsonObject rootObject)
        {
            problems.Add("$: must be an object with 'providers' and 'aliases'");
            return null;
        }
        CheckFields(rootObject, "$", RootFields, problems);

        var prices = ReadPrices(rootObject["prices"], "$.prices", problems);
        var priceTable = PriceTable.WithOverrides(prices);
        var providers = ReadProviders(Required<JsonObject>(rootObject, "providers", "$", "an object", problems), problems);
        var aliasesNode = Required<JsonObject>(rootObject, "aliases", "$", "an object", problems);
        if (aliasesNode is { Count: 0 })
        {
            problems.Add("$.aliases: must declare at least one alias");
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
        return new ModelMap(providers, aliases);
    }

    private static Dictionary<string, ProviderDefinition> ReadProviders(JsonObject? node, List<string> problems)
    {
        var providers = new Dictionary<string, ProviderDefinition>(StringComparer.Ordinal);
        foreach (var (name, value) in node ?? [])
        {
            var path = $"$.providers.{name}";
            if (value is not JsonObject provider)
            {
                problems.Add($"{path}: must be an object");
                continue;
            }
            CheckFields(provider, path, ProviderFields, problems);

            var typeName = RequiredString(provider, "type", path, problems);
            if (typeName is null)
            {
                continue;
            }
            if (!ProviderTypes.TryParse(typeName, out var type))
            {
                problems.Add($"{path}.type: '{typeName}' is not a provider type; use one of {string.Join(", ", ProviderTypes.Names)}");
                continue;
            }

            var baseUrl = ReadBaseUrl(provider, path, type, problems);
            var apiKey = ReadApiKey(provider["apiKey"], $"{path}.apiKey", problems);
            if (apiKey is null && type is ProviderType.OpenAI or ProviderType.Anthropic && provider["apiKey"] is null)
            {
                problems.Add($"{path}.apiKey: required for type '{typeName}' (an object with 'env' and/or 'secretId')");
            }
            var timeout = ReadPositiveNumber(provider, "timeoutSeconds", path, MaxTimeoutSeconds, problems) is { } seconds
                ? TimeSpan.FromSeconds((double)seconds)
                : ProviderDefinition.DefaultTimeout;
            providers[name] = new ProviderDefinition(name, type, baseUrl, apiKey, timeout);
        }
        return providers;
    }

    private static Uri? ReadBaseUrl(JsonObject provider, string path, ProviderType type, List<string> problems)
    {
        var text = OptionalString(provider, "baseUrl", path, problems);
        if (text is null)
        {
            if (type == ProviderType.OpenAICompatible && provider["baseUrl"] is null)
            {
                problems.Add($"{path}.baseUrl: required for type 'openai-compatible' (e.g. \"http://127.0.0.1:11434/v1\")");
            }
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{path}.baseUrl: '{text}' is not an absolute http(s) URL");
            return null;
        }
        return uri;
    }

    private static SecretReference? ReadApiKey(JsonNode? node, string path, List<string> problems)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject apiKey)
        {
            problems.Add($"{path}: must be an object with 'env' and/or 'secretId' (never the key itself)");
            return null;
        }
        CheckFields(apiKey, path, ApiKeyFields, problems);
        var env = OptionalString(apiKey, "env", path, problems);
        var secretId = OptionalString(apiKey, "secretId", path, problems);
        if (string.IsNullOrEmpty(env) && string.IsNullOrEmpty(secretId))
        {
            problems.Add($"{path}: name at least one of 'env' (an environment variable) or 'secretId' (a Secrets Manager secret)");
            return null;
        }
        return new SecretReference(NullIfEmpty(env), NullIfEmpty(secretId));
    }

    private static AliasRoute? ReadAlias(
        string alias, JsonNode? node, string path, Dictionary<string, ProviderDefinition> providers,
        PriceTable prices, List<string> problems)
    {
        if (node is not JsonObject entry)
        {
            problems.Add($"{path}: must be an object with 'provider' and 'model'");
            return null;
        }
        CheckFields(entry, path, AliasFields, problems);
        var providerName = RequiredString(entry, "provider", path, problems);
        var model = RequiredString(entry, "model", path, problems);
        var defaults = Optional<JsonObject>(entry, "defaults", path, "an object of request fields", problems) ?? [];
        var rewrite = ReadRewrite(entry["request"], $"{path}.request", problems);
        var priceOverride = entry["price"] is { } priceNode ? ReadPrice(priceNode, $"{path}.price", problems) : null;
        var maxOutput = ReadPositiveInteger(entry, "maxOutputTokens", path, problems);

        ProviderDefinition? provider = null;
        if (providerName is not null && !providers.TryGetValue(providerName, out provider))
        {
            var declared = providers.Count == 0 ? "none are declared" : "declared: " + string.Join(", ", providers.Keys);
            problems.Add($"{path}.provider: '{providerName}' is not declared in $.providers ({declared})");
        }
        if (provider is null || model is null)
        {
            return null;
        }
        if (provider.Type == ProviderType.Anthropic && maxOutput is null && entry["maxOutputTokens"] is null
            && AnthropicModelLimits.MaxOutputFor(model) is null)
        {
            problems.Add($"{path}.maxOutputTokens: required for '{model}', whose maximum output the gateway does not know (Anthropic requires max_tokens)");
        }
        return new AliasRoute(alias, provider, model, (JsonObject)defaults.DeepClone(), rewrite,
            priceOverride ?? prices.Find(model), maxOutput);
    }

    private static RequestRewrite ReadRewrite(JsonNode? node, string path, List<string> problems)
    {
        if (node is null)
        {
            return RequestRewrite.None;
        }
        if (node is not JsonObject rewrite)
        {
            problems.Add($"{path}: must be an object with 'rename', 'drop' and/or 'pin'");
            return RequestRewrite.None;
        }
        CheckFields(rewrite, path, RewriteFields, problems);

        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in Optional<JsonObject>(rewrite, "rename", path, "an object mapping old names to new names", problems) ?? [])
        {
            if (to is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            {
                rename[from] = v.GetValue<string>();
            }
            else
            {
                problems.Add($"{path}.rename.{from}: must be the new parameter name (a non-empty string)");
            }
        }

        var drop = new List<string>();
        var dropNode = Optional<JsonArray>(rewrite, "drop", path, "an array of parameter names", problems) ?? [];
        for (var i = 0; i < dropNode.Count; i++)
        {
            if (dropNode[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                drop.Add(v.GetValue<string>());
            }
            else
            {
                problems.Add($"{path}.drop[{i}]: must be a parameter name (a string)");
            }
        }

        var pin = Optional<JsonObject>(rewrite, "pin", path, "an object of request fields", problems) ?? [];
        foreach (var reserved in new[] { "model", "messages", "stream" })
        {
            if (rename.ContainsKey(reserved) || drop.Contains(reserved) || pin.ContainsKey(reserved))
            {
                problems.Add($"{path}: must not rename, drop or pin '{reserved}' (the gateway owns it)");
            }
        }
        return new RequestRewrite(rename, drop, (JsonObject)pin.DeepClone());
    }

    private static Dictionary<string, ModelPrice> ReadPrices(JsonNode? node, string path, List<string> problems)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (node is null)
        {
            return prices;
        }
        if (node is not JsonObject table)
        {
            problems.Add($"{path}: must be an object keyed by upstream model name");
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

    private static ModelPrice? ReadPrice(JsonNode? node, string path, List<string> problems)
    {
        if (node is not JsonObject price)
        {
            problems.Add($"{path}: must be an object with 'input' and 'output' (USD per 1M tokens)");
            return null;
        }
        CheckFields(price, path, PriceFields, problems);
        var input = ReadNonNegativeNumber(price, "input", path, required: true, problems);
        var output = ReadNonNegativeNumber(price, "output", path, required: true, problems);
        var cached = ReadNonNegativeNumber(price, "cachedInput", path, required: false, problems);
        var cacheWrite = ReadNonNegativeNumber(price, "cacheWrite", path, required: false, problems);
        return input is { } i && output is { } o ? new ModelPrice(i, o, cached, cacheWrite) : null;
    }

    private static void CheckFields(JsonObject node, string path, string[] allowed, List<string> problems)
    {
        foreach (var (name, _) in node)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"{path}.{name}: unknown field; allowed here: {string.Join(", ", allowed)}");
            }
        }
    }

    private static T? Required<T>(JsonObject parent, string name, string path, string expected, List<string> problems)
        where T : JsonNode
    {
        if (parent[name] is null)
        {
            problems.Add($"{path}.{name}: required ({expected})");
            return null;
        }
        return Optional<T>(parent, name, path, expected, problems);
    }

    private static T? Optional<T>(JsonObject parent, string name, string path, string expected, List<string> problems)
        where T : JsonNode
    {
        var node = parent[name];
        if (node is null or T)
        {
            return node as T;
        }
        problems.Add($"{path}.{name}: must be {expected}");
        return null;
    }

    private static string? RequiredString(JsonObject parent, string name, string path, List<string> problems)
    {
        if (parent[name] is null)
        {
            problems.Add($"{path}.{name}: required (a non-empty string)");
            return null;
        }
        var value = OptionalString(parent, name, path, problems);
        if (value is { Length: 0 })
        {
            problems.Add($"{path}.{name}: must not be empty");
            return null;
        }
        return value;
    }

    private static string? OptionalString(JsonObject parent, string name, string path, List<string> problems)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }
        problems.Add($"{path}.{name}: must be a string");
        return null;
    }

    private static decimal? ReadNonNegativeNumber(JsonObject parent, string name, string path, bool required, List<string> problems)
    {
        var node = parent[name];
        if (node is null)
        {
            if (required)
            {
                problems.Add($"{path}.{name}: required (a number ≥ 0)");
            }
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var value) && value >= 0)
        {
            return value;
        }
        problems.Add($"{path}.{name}: must be a number ≥ 0");
        return null;
    }

    private static decimal? ReadPositiveNumber(JsonObject parent, string name, string path, decimal max, List<string> problems)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var value) && value > 0 && value <= max)
        {
            return value;
        }
        problems.Add($"{path}.{name}: must be a number > 0 and ≤ {max}");
        return null;
    }

    private static int? ReadPositiveInteger(JsonObject parent, string name, string path, List<string> problems)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && int.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }
        problems.Add($"{path}.{name}: must be a whole number > 0");
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
