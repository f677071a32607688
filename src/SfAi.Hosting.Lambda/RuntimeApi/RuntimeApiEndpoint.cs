namespace SfAi.Hosting.Lambda.RuntimeApi;

/// <summary>Where the Runtime API listens: <c>AWS_LAMBDA_RUNTIME_API</c> is a <c>host:port</c>.</summary>
internal sealed record RuntimeApiEndpoint(string Authority, string Host, int Port)
{
    public Uri BaseAddress => new($"http://{Authority}/2018-06-01/");

    /// <exception cref="FormatException">The value is not a <c>host:port</c>.</exception>
    public static RuntimeApiEndpoint Parse(string runtimeApi)
    {
        if (!Uri.TryCreate($"http://{runtimeApi}", UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new FormatException($"The Lambda Runtime API address '{runtimeApi}' is not a host:port.");
        }
        return new RuntimeApiEndpoint(uri.Authority, uri.IdnHost, uri.Port);
    }
}
