using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;
using SfAi.Core.Pricing;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

public sealed class ModelMapParserTests
{
    private readonly SfAi.Core.ModelMap.ModelMap _map = ModelMapParser.Parse(Fixtures.Bytes("model_map.json"), "config/model_map.json");

    [Fact]
    public void Lists_the_shipped_aliases_in_ordinal_order() =>
        Assert.Equal(["backend", "echo", "echo-embed", "frontend", "reasoning"], _map.AliasNames);

    [Fact]
    public void Declares_the_echo_openai_and_anthropic_providers()
    {
        Assert.Equal(
            [("anthropic", ProviderType.Anthropic), ("echo", ProviderType.Echo), ("openai", ProviderType.OpenAI)],
            _map.Providers.Values.Select(p => (p.Name, p.Type)).OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Reads_the_openai_key_source_and_timeout()
    {
        var openai = _map.Providers["openai"];

        Assert.Equal(new SecretReference("OPENAI_API_KEY", "/sfai/prod/OPENAI_API_KEY"), openai.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(60), openai.Timeout);
        Assert.Null(openai.BaseUrl);
    }

    [Fact]
    public void Echo_provider_needs_no_key_and_gets_the_default_timeout()
    {
        var echo = _map.Providers["echo"];

        Assert.Null(echo.ApiKey);
        Assert.Equal(ProviderDefinition.DefaultTimeout, echo.Timeout);
    }

    [Theory]
    [InlineData("echo", "echo", "echo-1")]
    [InlineData("frontend", "openai", "gpt-4o-mini")]
    [InlineData("reasoning", "openai", "o4-mini")]
    [InlineData("backend", "anthropic", "claude-sonnet-4-5")]
    public void Routes_each_alias_to_its_provider_and_upstream_model(string alias, string provider, string model)
    {
        Assert.True(_map.TryResolve(alias, out var route));
        Assert.Equal(alias, route.Alias);
        Assert.Equal(provider, route.Provider.Name);
        Assert.Equal(model, route.UpstreamModel);
    }

    [Fact]
    public void Frontend_defaults_temperature() =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "temperature": 0.3 }"""), _map.Aliases["frontend"].Defaults));

    [Fact]
    public void Reasoning_renames_max_tokens_and_drops_temperature()
    {
        var rewrite = _map.Aliases["reasoning"].Rewrite;

        Assert.Equal(new Dictionary<string, string> { ["max_tokens"] = "max_completion_tokens" }, rewrite.Rename);
        Assert.Equal(["temperature"], rewrite.Drop);
        Assert.Empty(rewrite.Pin);
    }

    [Fact]
    public void Aliases_without_request_fixes_have_an_empty_rewrite() =>
        Assert.True(_map.Aliases["frontend"].Rewrite.IsEmpty);

    [Fact]
    public void Backend_keeps_its_max_output_tokens() =>
        Assert.Equal(64000, _map.Aliases["backend"].MaxOutputTokens);

    [Fact]
    public void Openai_aliases_take_their_price_from_the_built_in_table()
    {
        Assert.Equal(new ModelPrice(0.15m, 0.60m, 0.075m), _map.Aliases["frontend"].Price);
        Assert.Equal(new ModelPrice(1.10m, 4.40m, 0.275m), _map.Aliases["reasoning"].Price);
        Assert.Equal(new ModelPrice(3.00m, 15.00m, 0.30m, 3.75m), _map.Aliases["backend"].Price);
    }

    [Fact]
    public void Echo_takes_its_price_from_the_map_over_the_built_in_entry() =>
        Assert.Equal(new ModelPrice(0m, 0m), _map.Aliases["echo"].Price);

    [Fact]
    public void Unknown_alias_does_not_resolve() =>
        Assert.False(_map.TryResolve("gpt-4o", out _));

    [Fact]
    public void Accepts_comments_and_trailing_commas()
    {
        const string json = """
            {
              // routing for local runs
              "providers": { "echo": { "type": "echo", }, },
              /* one alias */
              "aliases": { "echo": { "provider": "echo", "model": "echo-1", }, },
            }
            """;

        Assert.Equal(["echo"], Maps.Parse(json).AliasNames);
    }

    [Fact]
    public void Reads_an_openai_compatible_provider_with_its_base_url_and_timeout()
    {
        var map = Maps.WithProvider("""{ "type": "openai-compatible", "baseUrl": "http://127.0.0.1:11434/v1", "timeoutSeconds": 0.5 }""");

        var provider = Maps.Parse(map).Providers["p"];

        Assert.Equal(ProviderType.OpenAICompatible, provider.Type);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), provider.BaseUrl);
        Assert.Equal(TimeSpan.FromMilliseconds(500), provider.Timeout);
        Assert.Null(provider.ApiKey);
    }

    [Theory]
    [InlineData("", 10_000)]
    [InlineData(""", "circuitBreaker": { "breakSeconds": 2.5 }""", 2_500)]
    [InlineData(""", "circuitBreaker": { "breakSeconds": 0.1 }""", 500)]
    public void Reads_a_short_circuit_break_by_default_and_never_one_under_half_a_second(string extra, int expectedMs)
    {
        var map = Maps.WithProvider($$"""{ "type": "echo"{{extra}} }""");

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Maps.Parse(map).Providers["p"].CircuitBreaker.BreakDuration);
    }

    [Theory]
    [InlineData("""{ "env": "OPENAI_API_KEY" }""", "OPENAI_API_KEY", null)]
    [InlineData("""{ "secretId": "/sfai/prod/OPENAI_API_KEY" }""", null, "/sfai/prod/OPENAI_API_KEY")]
    public void Reads_an_api_key_from_either_source(string apiKey, string? env, string? secretId)
    {
        var map = Maps.WithProvider($$"""{ "type": "openai", "apiKey": {{apiKey}} }""");

        Assert.Equal(new SecretReference(env, secretId), Maps.Parse(map).Providers["p"].ApiKey);
    }

    [Fact]
    public void Anthropic_alias_of_a_known_dated_model_needs_no_max_output_tokens()
    {
        var map = Maps.Map(
            providers: """{ "anthropic": { "type": "anthropic", "apiKey": { "env": "K" } } }""",
            aliases: """{ "a": { "provider": "anthropic", "model": "claude-sonnet-4-5-20250929" } }""");

        Assert.Null(Maps.Parse(map).Aliases["a"].MaxOutputTokens);
    }

    [Fact]
    public void Reads_a_pinned_value()
    {
        var map = Maps.WithAlias("""{ "provider": "openai", "model": "o3", "request": { "pin": { "reasoning_effort": "low" } } }""");

        var pin = Maps.Parse(map).Aliases["a"].Rewrite.Pin;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "reasoning_effort": "low" }"""), pin));
    }

    [Theory]
    [InlineData("", SfAi.Core.ModelMap.UnsupportedParameterPolicy.Drop)]
    [InlineData(""", "unsupportedParameters": "drop" """, SfAi.Core.ModelMap.UnsupportedParameterPolicy.Drop)]
    [InlineData(""", "unsupportedParameters": "error" """, SfAi.Core.ModelMap.UnsupportedParameterPolicy.Error)]
    public void Reads_the_unsupported_parameters_policy_dropping_by_default(string field, SfAi.Core.ModelMap.UnsupportedParameterPolicy expected)
    {
        var map = Maps.WithAlias($$"""{ "provider": "openai", "model": "m"{{field}} }""");

        Assert.Equal(expected, Maps.Parse(map).Aliases["a"].UnsupportedParameters);
    }

    [Fact]
    public void Refuses_an_unknown_unsupported_parameters_policy_naming_its_path() =>
        Assert.Equal(["$.aliases.a.unsupportedParameters: 'ignore' is not one of drop, error"],
            Maps.Problems(Maps.WithAlias("""{ "provider": "openai", "model": "m", "unsupportedParameters": "ignore" }""")));
}
