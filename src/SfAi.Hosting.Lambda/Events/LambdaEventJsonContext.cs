using System.Text.Json.Serialization;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>The JSON of Lambda events, generated at compile time (no reflection; trimming and native AOT safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HttpApiV2Event))]
internal sealed partial class LambdaEventJsonContext : JsonSerializerContext;
