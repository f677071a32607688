namespace SfAi.Hosting.Lambda;

/// <summary>How the app is hosted in AWS Lambda.</summary>
public sealed class LambdaHostingOptions
{
    /// <summary>
    /// The Runtime API's <c>host:port</c>. <see cref="LambdaHostingExtensions.UseLambdaHosting"/> starts from the setting
    /// <c>AWS_LAMBDA_RUNTIME_API</c>, which Lambda sets; without one the app keeps its own server.
    /// </summary>
    public string? RuntimeApi { get; set; }

    /// <summary>
    /// Stream responses, for a Function URL in <c>RESPONSE_STREAM</c> mode; <see cref="LambdaHostingExtensions.UseLambdaHosting"/>
    /// starts from the setting <c>SFAI_LAMBDA_RESPONSE_STREAMING</c> (<c>true</c>). Behind API Gateway HTTP API, which
    /// cannot stream, leave it off: responses are then returned whole.
    /// </summary>
    public bool ResponseStreaming { get; set; }
}
