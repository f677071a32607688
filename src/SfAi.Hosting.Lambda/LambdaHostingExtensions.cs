using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Server;

namespace SfAi.Hosting.Lambda;

/// <summary>One line makes an ASP.NET Core app run in AWS Lambda; outside Lambda it changes nothing.</summary>
public static class LambdaHostingExtensions
{
    public const string RuntimeApiSetting = "AWS_LAMBDA_RUNTIME_API";

    public const string ResponseStreamingSetting = "SFAI_LAMBDA_RESPONSE_STREAMING";

    /// <summary>
    /// When the Runtime API is known (the setting <c>AWS_LAMBDA_RUNTIME_API</c>, which Lambda sets as an environment
    /// variable, or <paramref name="configure"/>), requests come from Lambda invocations instead of Kestrel;
    /// otherwise the app is left as it is. Calling it again replaces the earlier choice.
    /// </summary>
    public static WebApplicationBuilder UseLambdaHosting(this WebApplicationBuilder builder, Action<LambdaHostingOptions>? configure = null)
    {
        var options = new LambdaHostingOptions
        {
            RuntimeApi = builder.Configuration[RuntimeApiSetting],
            ResponseStreaming = string.Equals(builder.Configuration[ResponseStreamingSetting], "true", StringComparison.OrdinalIgnoreCase),
        };
        configure?.Invoke(options);
        if (string.IsNullOrEmpty(options.RuntimeApi))
        {
            return builder;
        }
        var endpoint = RuntimeApiEndpoint.Parse(options.RuntimeApi);
        var streaming = options.ResponseStreaming;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.RemoveAll<IServer>();
        builder.Services.AddSingleton<IServer>(services => new LambdaServer(
            endpoint, streaming, services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IHostApplicationLifetime>(), services.GetRequiredService<ILogger<LambdaServer>>()));
        return builder;
    }

    /// <summary>
    /// Tells Lambda that the app could not start (<c>/runtime/init/error</c>), when running in Lambda; Lambda then
    /// answers the pending invocation with this error. Best effort: it never throws.
    /// </summary>
    /// <param name="exception">Why the app could not start.</param>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>; by default the environment variable <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <returns>Whether the Runtime API took the report.</returns>
    public static async Task<bool> ReportInitErrorAsync(Exception exception, string? runtimeApi = null)
    {
        runtimeApi ??= Environment.GetEnvironmentVariable(RuntimeApiSetting);
        if (string.IsNullOrEmpty(runtimeApi))
        {
            return false;
        }
        try
        {
            using var client = new RuntimeApiClient(RuntimeApiEndpoint.Parse(runtimeApi), TimeProvider.System);
            await client.PostInitErrorAsync(RuntimeError.From(exception), CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or FormatException)
        {
            return false;
        }
    }
}
