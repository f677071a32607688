namespace SfAi.Hosting.Lambda;

/// <summary>How the app is hosted in AWS Lambda.</summary>
public sealed class LambdaHostingOptions
{
    /// <summary>The Runtime API's <c>host:port</c>; by default <c>AWS_LAMBDA_RUNTIME_API</c>, which Lambda sets.</summary>
    public string? RuntimeApi { get; set; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");

    /// <summary>
    /// Stream responses (a Function URL in <c>RESPONSE_STREAM</c> mode); by default <c>SFAI_LAMBDA_RESPONSE_STREAMING</c>.
    /// Behind API Gateway HTTP API, which cannot stream, leave it off: responses are then returned whole.
    /// </summary>
    public bool ResponseStreaming { get; set; } =
        string.Equals(Environment.GetEnvironmentVariable("SFAI_LAMBDA_RESPONSE_STREAMING"), "true", StringComparison.OrdinalIgnoreCase);
}
