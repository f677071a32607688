using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Server;

namespace SfAi.Hosting.Lambda;

/// <summary>One line makes an ASP.NET Core app run in AWS Lambda; outside Lambda it changes nothing.</summary>
public static class LambdaHostingExtensions
{
    /// <summary>
    /// When the Runtime API is known (<c>AWS_LAMBDA_RUNTIME_API</c>, set by Lambda), requests come from Lambda
    /// invocations instead of Kestrel; otherwise the app is left as it is.
    /// </summary>
    public static WebApplicationBuilder UseLambdaHosting(this WebApplicationBuilder builder, Action<LambdaHostingOptions>? configure = null)
    {
        var options = new LambdaHostingOptions();
        configure?.Invoke(options);
        if (string.IsNullOrEmpty(options.RuntimeApi))
        {
            return builder;
        }
        builder.Services.Configure<LambdaHostingOptions>(o =>
        {
            o.RuntimeApi = options.RuntimeApi;
            o.ResponseStreaming = options.ResponseStreaming;
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IServer, LambdaServer>();
        return builder;
    }

    /// <summary>Tells Lambda that the app could not start (<c>/runtime/init/error</c>), when running in Lambda.</summary>
    public static async Task ReportInitErrorAsync(Exception exception, string? runtimeApi = null)
    {
        runtimeApi ??= Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(runtimeApi))
        {
            return;
        }
        using var client = new RuntimeApiClient(runtimeApi);
        await client.PostInitErrorAsync(exception.GetType().Name, exception.Message, CancellationToken.None);
    }
}
