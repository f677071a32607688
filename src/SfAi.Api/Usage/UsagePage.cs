namespace SfAi.Api.Usage;

/// <summary>
/// <c>GET /usage</c>: one self-contained page (no script, style or font from anywhere else, so it works offline and in
/// Lambda) that reads <c>/v1/usage</c> with an admin key kept in the tab's <c>sessionStorage</c>.
/// </summary>
internal static class UsagePage
{
    private static readonly byte[] Html = Load();

    public static Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = Html.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] =
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.Body.WriteAsync(Html, context.RequestAborted).AsTask();
    }

    private static byte[] Load()
    {
        using var stream = typeof(UsagePage).Assembly.GetManifestResourceStream("SfAi.Api.Usage.usage.html")
            ?? throw new InvalidOperationException("The usage page is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
