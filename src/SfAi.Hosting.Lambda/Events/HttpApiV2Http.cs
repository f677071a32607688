namespace SfAi.Hosting.Lambda.Events;

/// <summary>The <c>requestContext.http</c> of a payload 2.0 event.</summary>
internal sealed class HttpApiV2Http
{
    public string? Method { get; init; }

    public string? Path { get; init; }

    public string? Protocol { get; init; }

    public string? SourceIp { get; init; }
}
