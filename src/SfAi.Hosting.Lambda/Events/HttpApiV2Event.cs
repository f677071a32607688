using System.Text.Json.Serialization;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>
/// An API Gateway HTTP API payload 2.0 event, which is also the shape of a Lambda Function URL event
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
/// the fields the adapter reads, as they come on the wire.
/// </summary>
internal sealed class HttpApiV2Event
{
    public string? Version { get; init; }

    public string? RawPath { get; init; }

    public string? RawQueryString { get; init; }

    /// <summary>Several values of one header arrive joined with commas.</summary>
    public Dictionary<string, string?>? Headers { get; init; }

    /// <summary>The request's cookies, taken out of the <c>Cookie</c> header.</summary>
    public List<string>? Cookies { get; init; }

    public string? Body { get; init; }

    public bool IsBase64Encoded { get; init; }

    public HttpApiV2RequestContext? RequestContext { get; init; }
}
