using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using SfAi.Hosting.Lambda.Server;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary><c>UseLambdaHosting()</c> replaces Kestrel only when there is a Runtime API to talk to.</summary>
public sealed class HostingSwitchTests
{
    private static IServer ServerOf(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        return app.Services.GetRequiredService<IServer>();
    }

    [Fact]
    public void Without_a_Runtime_API_the_app_keeps_Kestrel()
    {
        var builder = WebApplication.CreateSlimBuilder();

        builder.UseLambdaHosting(options => options.RuntimeApi = null);

        Assert.IsNotType<LambdaServer>(ServerOf(builder));
    }

    [Fact]
    public void Runtime_API_given_as_an_option_replaces_Kestrel()
    {
        var builder = WebApplication.CreateSlimBuilder();

        builder.UseLambdaHosting(options => options.RuntimeApi = "127.0.0.1:9001");

        Assert.IsType<LambdaServer>(ServerOf(builder));
    }

    [Fact]
    public void Runtime_API_setting_replaces_Kestrel()
    {
        var builder = WebApplication.CreateSlimBuilder(["--AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001"]);

        builder.UseLambdaHosting();

        Assert.IsType<LambdaServer>(ServerOf(builder));
    }

    [Fact]
    public void Streaming_setting_switches_response_streaming_on()
    {
        var builder = WebApplication.CreateSlimBuilder(["--AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001", "--SFAI_LAMBDA_RESPONSE_STREAMING=true"]);
        bool? streaming = null;

        builder.UseLambdaHosting(options => streaming = options.ResponseStreaming);

        Assert.True(streaming);
    }

    [Fact]
    public void Response_streaming_is_off_by_default()
    {
        var builder = WebApplication.CreateSlimBuilder(["--AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001"]);
        bool? streaming = null;

        builder.UseLambdaHosting(options => streaming = options.ResponseStreaming);

        Assert.False(streaming);
    }

    [Fact]
    public void Runtime_API_address_that_is_not_host_and_port_is_refused_at_once()
    {
        var builder = WebApplication.CreateSlimBuilder();

        Assert.Throws<FormatException>(() => builder.UseLambdaHosting(options => options.RuntimeApi = "http://127.0.0.1:9001/x"));
    }
}
