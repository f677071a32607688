using System.Text.Json;
using Json.Schema;

namespace SfAi.Core.Tests.Support;

/// <summary>The shipped <c>model_map.schema.json</c>, built once.</summary>
internal static class Schema
{
    private static readonly Lazy<JsonSchema> ModelMap = new(() =>
        JsonSchema.FromText(Fixtures.Text("model_map.schema.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    public static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ModelMap.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    public static string Describe(EvaluationResults results) => string.Join("; ",
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));
}
