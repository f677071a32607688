namespace SfAi.Api.Middleware;

/// <summary>Gives every request an id, returned in <c>x-request-id</c> and carried by every log event of the request.</summary>
internal sealed class RequestIdMiddleware
{
    public const string HeaderName = "x-request-id";
    private static readonly object ItemKey = new();
    private readonly RequestDelegate _next;

    public RequestIdMiddleware(RequestDelegate next) => _next = next;

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string text ? text : Assign(context);

    public Task InvokeAsync(HttpContext context)
    {
        var id = Assign(context);
        context.Response.Headers[HeaderName] = id;
        return _next(context);
    }

    private static string Assign(HttpContext context)
    {
        var id = NewId();
        context.Items[ItemKey] = id;
        return id;
    }

    /// <summary>
    /// <c>req_</c> and 32 random hex digits, as unique as a GUID, from the per-thread generator (seeded once by the OS)
    /// rather than a system call per request as <see cref="Guid.NewGuid"/> makes.
    /// </summary>
    public static string NewId() => string.Create(36, 0, static (chars, _) =>
    {
        Span<byte> random = stackalloc byte[16];
        Random.Shared.NextBytes(random);
        "req_".CopyTo(chars);
        Convert.TryToHexStringLower(random, chars[4..], out _);
    });
}
