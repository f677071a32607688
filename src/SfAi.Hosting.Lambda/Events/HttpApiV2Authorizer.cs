namespace SfAi.Hosting.Lambda.Events;

/// <summary>The <c>requestContext.authorizer</c> of a payload 2.0 event; only a JWT authorizer's output is used.</summary>
internal sealed class HttpApiV2Authorizer
{
    public HttpApiV2JwtAuthorizer? Jwt { get; init; }
}
