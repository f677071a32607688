using Microsoft.AspNetCore.Builder;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>
/// The X-Ray trace id in <c>_X_AMZN_TRACE_ID</c>, where AWS SDKs look for it. A process environment variable, so
/// these tests run alone, and leave it unset.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class TraceIdTests : IDisposable
{
    private const string Variable = "_X_AMZN_TRACE_ID";

    public void Dispose() => Environment.SetEnvironmentVariable(Variable, null);

    [Fact]
    public async Task Trace_id_of_the_invocation_is_in_the_environment_while_the_request_runs()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        await using var app = await LambdaTestApp.StartAsync(runtime, app =>
            app.MapGet("/trace", () => Environment.GetEnvironmentVariable(Variable) ?? "(none)"));

        var posted = await runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/trace"), traceId: "Root=1-abc-def;Parent=123;Sampled=1");

        Assert.Equal("Root=1-abc-def;Parent=123;Sampled=1", posted.Json.GetProperty("body").GetString());
    }
}
