using Microsoft.AspNetCore.Http.Features;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>Whether the request has a body: minimal APIs bind <c>[FromBody]</c> parameters only when it can.</summary>
internal sealed class RequestBodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody { get; } = canHaveBody;
}
