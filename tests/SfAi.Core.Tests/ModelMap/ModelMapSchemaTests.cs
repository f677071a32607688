using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

/// <summary>The JSON Schema and the parser accept and reject the same maps.</summary>
public sealed class ModelMapSchemaTests
{
    [Fact]
    public void Shipped_config_validates_against_the_schema()
    {
        var results = Schema.Evaluate(Fixtures.Text("model_map.json"));

        Assert.True(results.IsValid, Schema.Describe(results));
    }

    public static TheoryData<string, string> ValidMaps => new()
    {
        { "minimal", Maps.Map() },
        { "openai-compatible", Maps.WithProvider("""{ "type": "openai-compatible", "baseUrl": "http://127.0.0.1:11434/v1", "timeoutSeconds": 0.5 }""") },
        { "secret id only", Maps.WithProvider("""{ "type": "anthropic", "apiKey": { "secretId": "/sfai/prod/ANTHROPIC_API_KEY" } }""") },
        { "rewrite", Maps.WithAlias("""{ "provider": "openai", "model": "o3", "request": { "rename": { "max_tokens": "max_completion_tokens" }, "drop": ["temperature"], "pin": { "reasoning_effort": "low" } } }""") },
        { "prices", Maps.Map(extra: """, "prices": { "my-model": { "input": 0, "output": 0.4, "cachedInput": 0, "cacheWrite": 0.5 } } """) },
    };

    [Theory]
    [MemberData(nameof(ValidMaps))]
    public void Schema_and_parser_both_accept(string name, string json)
    {
        var results = Schema.Evaluate(json);

        Assert.True(results.IsValid, $"{name}: {Schema.Describe(results)}");
        Assert.NotEmpty(Maps.Parse(json).Aliases);
    }

    public static TheoryData<string, string> InvalidMaps => new()
    {
        { "root not an object", "[]" },
        { "no providers", $$"""{ "aliases": {{Maps.Aliases}} }""" },
        { "no aliases", $$"""{ "providers": {{Maps.Providers}} }""" },
        { "empty aliases", Maps.Map(aliases: "{}") },
        { "unknown root field", Maps.Map(extra: """, "routes": {} """) },
        { "unknown provider field", Maps.WithProvider("""{ "type": "echo", "region": "eu" }""") },
        { "unknown provider type", Maps.WithProvider("""{ "type": "grpc" }""") },
        { "openai-compatible without baseUrl", Maps.WithProvider("""{ "type": "openai-compatible" }""") },
        { "ftp baseUrl", Maps.WithProvider("""{ "type": "openai-compatible", "baseUrl": "ftp://models.local/v1" }""") },
        { "openai without apiKey", Maps.WithProvider("""{ "type": "openai" }""") },
        { "anthropic without apiKey", Maps.WithProvider("""{ "type": "anthropic" }""") },
        { "apiKey as the key itself", Maps.WithProvider("""{ "type": "openai", "apiKey": "sk-live-123" }""") },
        { "apiKey naming no source", Maps.WithProvider("""{ "type": "openai", "apiKey": {} }""") },
        { "apiKey unknown field", Maps.WithProvider("""{ "type": "openai", "apiKey": { "env": "K", "value": "sk-1" } }""") },
        { "timeout zero", Maps.WithProvider("""{ "type": "echo", "timeoutSeconds": 0 }""") },
        { "timeout as text", Maps.WithProvider("""{ "type": "echo", "timeoutSeconds": "60" }""") },
        { "alias without model", Maps.WithAlias("""{ "provider": "openai" }""") },
        { "alias with empty model", Maps.WithAlias("""{ "provider": "openai", "model": "" }""") },
        { "alias unknown field", Maps.WithAlias("""{ "provider": "openai", "model": "m", "temperature": 0 }""") },
        { "defaults not an object", Maps.WithAlias("""{ "provider": "openai", "model": "m", "defaults": [] }""") },
        { "rename to empty", Maps.WithAlias("""{ "provider": "openai", "model": "m", "request": { "rename": { "max_tokens": "" } } }""") },
        { "drop of a number", Maps.WithAlias("""{ "provider": "openai", "model": "m", "request": { "drop": [1] } }""") },
        { "pin not an object", Maps.WithAlias("""{ "provider": "openai", "model": "m", "request": { "pin": [] } }""") },
        { "price without output", Maps.WithAlias("""{ "provider": "openai", "model": "m", "price": { "input": 1 } }""") },
        { "negative price", Maps.WithAlias("""{ "provider": "openai", "model": "m", "price": { "input": -1, "output": 1 } }""") },
        { "maxOutputTokens zero", Maps.WithAlias("""{ "provider": "openai", "model": "m", "maxOutputTokens": 0 }""") },
        { "maxOutputTokens fractional", Maps.WithAlias("""{ "provider": "openai", "model": "m", "maxOutputTokens": 2.5 }""") },
        { "price table entry without input", Maps.Map(extra: """, "prices": { "m": { "output": 1 } } """) },
    };

    [Theory]
    [MemberData(nameof(InvalidMaps))]
    public void Schema_and_parser_both_reject(string name, string json)
    {
        Assert.False(Schema.Evaluate(json).IsValid, $"the schema accepts: {name}");
        Assert.NotEmpty(Maps.Problems(json));
    }
}
