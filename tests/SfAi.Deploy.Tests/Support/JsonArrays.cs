using System.Text.Json;

namespace SfAi.Deploy.Tests.Support;

internal static class JsonArrays
{
    public static JsonElement Last(this JsonElement array) => array[array.GetArrayLength() - 1];

    /// <summary>The logical ID that a <c>Ref</c> or <c>Fn::GetAtt</c> points at; null for anything else.</summary>
    public static string? ReferencedId(this JsonElement value) =>
        value.ValueKind != JsonValueKind.Object ? null
        : value.TryGetProperty("Ref", out var reference) ? reference.GetString()
        : value.TryGetProperty("Fn::GetAtt", out var attribute) ? attribute[0].GetString()
        : null;
}
