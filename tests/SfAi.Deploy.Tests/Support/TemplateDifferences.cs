using System.Text.Json.Nodes;

namespace SfAi.Deploy.Tests.Support;

/// <summary>Where two templates differ, as JSON paths, so a failed snapshot names the resources that changed.</summary>
internal static class TemplateDifferences
{
    public static List<string> Between(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var differences = new List<string>();
        Collect(expected, actual, path, differences);
        return differences;
    }

    private static void Collect(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{path}.{name}";
                    if (!left.ContainsKey(name))
                    {
                        differences.Add($"added {child}");
                    }
                    else if (!right.ContainsKey(name))
                    {
                        differences.Add($"removed {child}");
                    }
                    else
                    {
                        Collect(left[name], right[name], child, differences);
                    }
                }
                break;
            case (JsonArray left, JsonArray right) when left.Count == right.Count:
                for (var i = 0; i < left.Count; i++)
                {
                    Collect(left[i], right[i], $"{path}[{i}]", differences);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"changed {path}: {expected?.ToJsonString()} → {actual?.ToJsonString()}");
                }
                break;
        }
    }
}
