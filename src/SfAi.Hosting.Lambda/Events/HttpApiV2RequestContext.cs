namespace SfAi.Hosting.Lambda.Events;

/// <summary>The <c>requestContext</c> of a payload 2.0 event.</summary>
internal sealed class HttpApiV2RequestContext
{
    /// <summary><c>$default</c>, or a named stage whose name prefixes <c>rawPath</c>; absent for Function URLs.</summary>
    public string? Stage { get; init; }

    public string? DomainName { get; init; }

    public HttpApiV2Http? Http { get; init; }

    public HttpApiV2Authorizer? Authorizer { get; init; }
}
