using SfAi.Core.Configuration;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

public sealed class ModelMapParserValidationTests
{
    private static void AssertSingleProblem(string json, string expectedStart)
    {
        var problem = Assert.Single(Maps.Problems(json));
        Assert.StartsWith(expectedStart, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_text_that_is_not_json_naming_the_line()
    {
        const string json = "{\n  \"providers\": {},\n  \"aliases\": }\n}";

        AssertSingleProblem(json, "$: not valid JSON at line 3, position ");
    }

    public static TheoryData<string, string> MalformedRoots => new()
    {
        { "[]", "$: must be an object with 'providers' and 'aliases'" },
        { "\"model_map\"", "$: must be an object with 'providers' and 'aliases'" },
        { "null", "$: must be an object with 'providers' and 'aliases'" },
        { $$"""{ "providers": {{Maps.Providers}} }""", "$.aliases: required (an object)" },
        { Maps.Map(aliases: "[]"), "$.aliases: must be an object" },
        { Maps.Map(aliases: "{}"), "$.aliases: must declare at least one alias" },
        { Maps.Map(extra: """, "prices": [] """), "$.prices: must be an object keyed by upstream model name" },
    };

    [Theory]
    [MemberData(nameof(MalformedRoots))]
    public void Rejects_a_malformed_root(string json, string expected) => AssertSingleProblem(json, expected);

    [Fact]
    public void Rejects_a_map_without_providers_and_says_none_are_declared()
    {
        var problems = Maps.Problems($$"""{ "aliases": {{Maps.Aliases}} }""");

        Assert.Equal(
            ["$.providers: required (an object)", "$.aliases.a.provider: 'openai' is not declared in $.providers (none are declared)"],
            problems);
    }

    public static TheoryData<string, string> UnknownFields => new()
    {
        { Maps.Map(extra: """, "routes": {} """), "$.routes: unknown field; allowed here: $schema, description, providers, aliases, prices" },
        { Maps.WithProvider("""{ "type": "echo", "region": "eu" }"""), "$.providers.p.region: unknown field; allowed here: type, baseUrl, apiKey, timeoutSeconds, connectTimeoutSeconds, totalTimeoutSeconds, retry, circuitBreaker, description" },
        { Maps.WithProvider("""{ "type": "openai", "apiKey": { "env": "K", "value": "sk-1" } }"""), "$.providers.p.apiKey.value: unknown field; allowed here: env, secretId" },
        { Maps.WithAlias("""{ "provider": "openai", "model": "m", "temperature": 0.2 }"""), "$.aliases.a.temperature: unknown field; allowed here: provider, model, defaults, request, price, maxOutputTokens, fallbacks, unsupportedParameters, kind, description" },
        { Maps.WithAlias("""{ "provider": "openai", "model": "m", "request": { "add": {} } }"""), "$.aliases.a.request.add: unknown field; allowed here: rename, drop, pin" },
        { Maps.WithAlias("""{ "provider": "openai", "model": "m", "price": { "input": 1, "output": 2, "batch": 0.5 } }"""), "$.aliases.a.price.batch: unknown field; allowed here: input, output, cachedInput, cacheWrite" },
        { Maps.Map(extra: """, "prices": { "m": { "input": 1, "output": 2, "batch": 0.5 } } """), "$.prices.m.batch: unknown field; allowed here: input, output, cachedInput, cacheWrite" },
    };

    [Theory]
    [MemberData(nameof(UnknownFields))]
    public void Rejects_an_unknown_field_at_every_level(string json, string expected) => AssertSingleProblem(json, expected);

    [Theory]
    [InlineData("\"echo\"", "$.providers.p: must be an object")]
    [InlineData("{}", "$.providers.p.type: required (a non-empty string)")]
    [InlineData("""{ "type": "" }""", "$.providers.p.type: must not be empty")]
    [InlineData("""{ "type": 1 }""", "$.providers.p.type: must be a string")]
    [InlineData("""{ "type": "grpc" }""", "$.providers.p.type: 'grpc' is not a provider type; use one of openai, openai-compatible, anthropic, echo")]
    [InlineData("""{ "type": "openai-compatible" }""", "$.providers.p.baseUrl: required for type 'openai-compatible'")]
    [InlineData("""{ "type": "openai-compatible", "baseUrl": "ftp://models.local/v1" }""", "$.providers.p.baseUrl: 'ftp://models.local/v1' is not an absolute http(s) URL")]
    [InlineData("""{ "type": "openai-compatible", "baseUrl": "/v1" }""", "$.providers.p.baseUrl: '/v1' is not an absolute http(s) URL")]
    [InlineData("""{ "type": "openai-compatible", "baseUrl": 11434 }""", "$.providers.p.baseUrl: must be a string")]
    [InlineData("""{ "type": "openai" }""", "$.providers.p.apiKey: required for type 'openai'")]
    [InlineData("""{ "type": "anthropic" }""", "$.providers.p.apiKey: required for type 'anthropic'")]
    public void Rejects_a_malformed_provider(string provider, string expected) =>
        AssertSingleProblem(Maps.WithProvider(provider), expected);

    [Theory]
    [InlineData("\"sk-live-123\"", "$.providers.p.apiKey: must be an object with 'env' and/or 'secretId' (never the key itself)")]
    [InlineData("[\"OPENAI_API_KEY\"]", "$.providers.p.apiKey: must be an object with 'env' and/or 'secretId' (never the key itself)")]
    [InlineData("{}", "$.providers.p.apiKey: name at least one of 'env' (an environment variable) or 'secretId' (a Secrets Manager secret)")]
    [InlineData("""{ "env": "" }""", "$.providers.p.apiKey: name at least one of 'env'")]
    [InlineData("""{ "env": "", "secretId": "" }""", "$.providers.p.apiKey: name at least one of 'env'")]
    public void Rejects_an_api_key_that_names_no_key_source(string apiKey, string expected) =>
        AssertSingleProblem(Maps.WithProvider($$"""{ "type": "openai", "apiKey": {{apiKey}} }"""), expected);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"60\"")]
    [InlineData("3601")]
    public void Rejects_a_timeout_that_is_not_a_positive_number_of_seconds(string timeout) =>
        AssertSingleProblem(
            Maps.WithProvider($$"""{ "type": "echo", "timeoutSeconds": {{timeout}} }"""),
            "$.providers.p.timeoutSeconds: must be a number > 0");

    [Theory]
    [InlineData("\"openai\"", "$.aliases.a: must be an object with 'provider' and 'model'")]
    [InlineData("""{ "model": "m" }""", "$.aliases.a.provider: required (a non-empty string)")]
    [InlineData("""{ "provider": "", "model": "m" }""", "$.aliases.a.provider: must not be empty")]
    [InlineData("""{ "provider": "openai" }""", "$.aliases.a.model: required (a non-empty string)")]
    [InlineData("""{ "provider": "openai", "model": "" }""", "$.aliases.a.model: must not be empty")]
    [InlineData("""{ "provider": "openai", "model": 4 }""", "$.aliases.a.model: must be a string")]
    [InlineData("""{ "provider": "openai", "model": "m", "defaults": [] }""", "$.aliases.a.defaults: must be an object of request fields")]
    [InlineData("""{ "provider": "openai", "model": "m", "defaults": "temperature=0" }""", "$.aliases.a.defaults: must be an object of request fields")]
    public void Rejects_a_malformed_alias(string alias, string expected) =>
        AssertSingleProblem(Maps.WithAlias(alias), expected);

    [Fact]
    public void Rejects_an_alias_that_names_an_undeclared_provider() =>
        AssertSingleProblem(
            Maps.WithAlias("""{ "provider": "azure", "model": "gpt-4o" }"""),
            "$.aliases.a.provider: 'azure' is not declared in $.providers (declared: openai, echo)");

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"4096\"")]
    [InlineData("true")]
    public void Rejects_max_output_tokens_that_is_not_a_positive_integer(string value) =>
        AssertSingleProblem(
            Maps.WithAlias($$"""{ "provider": "openai", "model": "m", "maxOutputTokens": {{value}} }"""),
            "$.aliases.a.maxOutputTokens: must be a whole number > 0");

    [Fact]
    public void Requires_max_output_tokens_for_an_anthropic_model_of_unknown_limit() =>
        AssertSingleProblem(
            Maps.Map(
                providers: """{ "anthropic": { "type": "anthropic", "apiKey": { "env": "K" } } }""",
                aliases: """{ "a": { "provider": "anthropic", "model": "claude-next" } }"""),
            "$.aliases.a.maxOutputTokens: required for 'claude-next'");

    [Theory]
    [InlineData("[]", "$.aliases.a.request: must be an object with 'rename', 'drop' and/or 'pin'")]
    [InlineData("""{ "rename": ["max_tokens"] }""", "$.aliases.a.request.rename: must be an object mapping old names to new names")]
    [InlineData("""{ "rename": { "max_tokens": "" } }""", "$.aliases.a.request.rename.max_tokens: must be the new parameter name (a non-empty string)")]
    [InlineData("""{ "rename": { "max_tokens": 1 } }""", "$.aliases.a.request.rename.max_tokens: must be the new parameter name (a non-empty string)")]
    [InlineData("""{ "drop": "temperature" }""", "$.aliases.a.request.drop: must be an array of parameter names")]
    [InlineData("""{ "drop": ["temperature", 1] }""", "$.aliases.a.request.drop[1]: must be a parameter name (a string)")]
    [InlineData("""{ "pin": ["reasoning_effort"] }""", "$.aliases.a.request.pin: must be an object of request fields")]
    public void Rejects_a_malformed_request_rewrite(string request, string expected) =>
        AssertSingleProblem(Maps.WithAlias($$"""{ "provider": "openai", "model": "m", "request": {{request}} }"""), expected);

    [Theory]
    [InlineData("""{ "rename": { "model": "engine" } }""", "model")]
    [InlineData("""{ "rename": { "messages": "prompt" } }""", "messages")]
    [InlineData("""{ "rename": { "stream": "streaming" } }""", "stream")]
    [InlineData("""{ "drop": ["model"] }""", "model")]
    [InlineData("""{ "drop": ["messages"] }""", "messages")]
    [InlineData("""{ "drop": ["stream"] }""", "stream")]
    [InlineData("""{ "pin": { "model": "gpt-4o" } }""", "model")]
    [InlineData("""{ "pin": { "messages": [] } }""", "messages")]
    [InlineData("""{ "pin": { "stream": false } }""", "stream")]
    [InlineData("""{ "rename": { "x": "stream" } }""", "stream")]
    public void Refuses_to_rewrite_a_field_the_gateway_owns(string request, string field) =>
        AssertSingleProblem(
            Maps.WithAlias($$"""{ "provider": "openai", "model": "m", "request": {{request}} }"""),
            $"$.aliases.a.request: must not rename, drop or pin '{field}' (the gateway owns it)");

    [Theory]
    [InlineData("stream", "true")]
    [InlineData("model", "\"gpt-4o\"")]
    public void Refuses_defaults_for_a_field_the_gateway_owns(string field, string value) =>
        AssertSingleProblem(
            Maps.WithAlias($$"""{ "provider": "openai", "model": "m", "defaults": { "{{field}}": {{value}} } }"""),
            $"$.aliases.a.defaults: must not set '{field}' (the gateway owns it)");

    [Theory]
    [InlineData("1", "$.aliases.a.price: must be an object with 'input' and 'output' (USD per 1M tokens)")]
    [InlineData("""{ "output": 0.6 }""", "$.aliases.a.price.input: required (a number ≥ 0)")]
    [InlineData("""{ "input": 0.15 }""", "$.aliases.a.price.output: required (a number ≥ 0)")]
    [InlineData("""{ "input": -0.15, "output": 0.6 }""", "$.aliases.a.price.input: must be a number ≥ 0")]
    [InlineData("""{ "input": 0.15, "output": "0.6" }""", "$.aliases.a.price.output: must be a number ≥ 0")]
    [InlineData("""{ "input": 0.15, "output": 0.6, "cachedInput": -1 }""", "$.aliases.a.price.cachedInput: must be a number ≥ 0")]
    [InlineData("""{ "input": 3, "output": 15, "cacheWrite": -3.75 }""", "$.aliases.a.price.cacheWrite: must be a number ≥ 0")]
    public void Rejects_a_malformed_alias_price(string price, string expected) =>
        AssertSingleProblem(Maps.WithAlias($$"""{ "provider": "openai", "model": "m", "price": {{price}} }"""), expected);

    [Theory]
    [InlineData("[0.15, 0.6]", "$.prices.my-model: must be an object with 'input' and 'output' (USD per 1M tokens)")]
    [InlineData("""{ "input": 0.15 }""", "$.prices.my-model.output: required (a number ≥ 0)")]
    [InlineData("""{ "input": 0.15, "output": -0.6 }""", "$.prices.my-model.output: must be a number ≥ 0")]
    public void Rejects_a_malformed_price_table_entry(string price, string expected) =>
        AssertSingleProblem(Maps.Map(extra: $$""", "prices": { "my-model": {{price}} }"""), expected);

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var json = Maps.Map(
            providers: """{ "openai": { "type": "openai" }, "echo": { "type": "echo", "timeoutSeconds": 0 } }""",
            aliases: """{ "a": { "provider": "azure", "model": "" }, "b": { "provider": "echo", "model": "echo-1", "price": { "input": -1, "output": 0 } } }""",
            extra: """, "routes": {} """);

        var problems = Maps.Problems(json);

        Assert.Equal(
            [
                "$.aliases.a.model",
                "$.aliases.a.provider",
                "$.aliases.b.price.input",
                "$.providers.echo.timeoutSeconds",
                "$.providers.openai.apiKey",
                "$.routes",
            ],
            problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Exception_message_names_the_source_and_lists_each_problem()
    {
        var json = Maps.Map(extra: """, "routes": {}, "region": "eu" """);

        var exception = Assert.Throws<ConfigValidationException>(() => Maps.Parse(json));

        Assert.StartsWith("The model map test.json is invalid:", exception.Message, StringComparison.Ordinal);
        Assert.All(exception.Problems, problem => Assert.Contains(problem, exception.Message, StringComparison.Ordinal));
        Assert.Equal(2, exception.Problems.Count);
    }
}
