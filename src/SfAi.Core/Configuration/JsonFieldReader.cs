using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Configuration;

/// <summary>
/// Reads the fields of a JSON configuration file and collects every problem as one line that starts with the
/// field's JSON path (<c>$.aliases.backend.provider: …</c>), so one pass reports them all.
/// </summary>
public sealed class JsonFieldReader
{
    public List<string> Problems { get; } = [];

    public void Problem(string path, string message) => Problems.Add($"{path}: {message}");

    public void CheckFields(JsonObject node, string path, string[] allowed)
    {
        foreach (var (name, _) in node)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Problem($"{path}.{name}", $"unknown field; allowed here: {string.Join(", ", allowed)}");
            }
        }
    }

    public T? Required<T>(JsonObject parent, string name, string path, string expected)
        where T : JsonNode
    {
        if (parent[name] is null)
        {
            Problem($"{path}.{name}", $"required ({expected})");
            return null;
        }
        return Optional<T>(parent, name, path, expected);
    }

    public T? Optional<T>(JsonObject parent, string name, string path, string expected)
        where T : JsonNode
    {
        var node = parent[name];
        if (node is null or T)
        {
            return node as T;
        }
        Problem($"{path}.{name}", $"must be {expected}");
        return null;
    }

    public string? RequiredString(JsonObject parent, string name, string path)
    {
        if (parent[name] is null)
        {
            Problem($"{path}.{name}", "required (a non-empty string)");
            return null;
        }
        var value = OptionalString(parent, name, path);
        if (value is { Length: 0 })
        {
            Problem($"{path}.{name}", "must not be empty");
            return null;
        }
        return value;
    }

    public string? OptionalString(JsonObject parent, string name, string path)
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
        Problem($"{path}.{name}", "must be a string");
        return null;
    }

    public decimal? NonNegativeNumber(JsonObject parent, string name, string path, bool required)
    {
        var node = parent[name];
        if (node is null)
        {
            if (required)
            {
                Problem($"{path}.{name}", "required (a number ≥ 0)");
            }
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var value) && value >= 0)
        {
            return value;
        }
        Problem($"{path}.{name}", "must be a number ≥ 0");
        return null;
    }

    public decimal? PositiveNumber(JsonObject parent, string name, string path, decimal max)
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
        Problem($"{path}.{name}", $"must be a number > 0 and ≤ {max}");
        return null;
    }

    public int? PositiveInteger(JsonObject parent, string name, string path)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var value)
            && value > 0 && value <= int.MaxValue && decimal.Truncate(value) == value)
        {
            return (int)value;
        }
        Problem($"{path}.{name}", "must be a whole number > 0");
        return null;
    }

    /// <summary>An array of non-empty strings, each problem named by its index.</summary>
    public List<string>? StringArray(JsonObject parent, string name, string path)
    {
        if (Optional<JsonArray>(parent, name, path, "an array of strings") is not { } array)
        {
            return null;
        }
        var values = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0)
            {
                values.Add(v.GetValue<string>());
            }
            else
            {
                Problem($"{path}.{name}[{i}]", "must be a non-empty string");
            }
        }
        return values;
    }
}
