using System.Text.Json.Serialization;
using SfAi.Api.Endpoints;

namespace SfAi.Api.Json;

/// <summary>Source-generated JSON for the gateway's own responses (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(AnthropicModelList))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
