using System.Net;

namespace SfAi.Bench.Upstream;

/// <summary>
/// The floor a .NET gateway stands on: Kestrel in, <see cref="HttpClient"/> out, the body passed through untouched and
/// nothing else (no parsing, no keys, no limits, no logs). The suite measures it next to the gateway, so the table
/// shows what the server and client calls alone cost on the machine.
/// </summary>
internal sealed class BareForwarder(Uri upstream) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task HandleAsync(HttpContext context)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream, context.Request.Path.Value))
        {
            Content = new StreamContent(context.Request.Body),
        };
        request.Content.Headers.ContentType = new(context.Request.ContentType ?? "application/json");
        if (context.Request.ContentLength is { } length)
        {
            request.Content.Headers.ContentLength = length;
        }
        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        if (response.Content.Headers.ContentLength is { } responseLength)
        {
            context.Response.ContentLength = responseLength;
        }
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public void Dispose() => _client.Dispose();
}
