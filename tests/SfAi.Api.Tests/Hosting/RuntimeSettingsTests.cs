using System.Text.Json.Nodes;

namespace SfAi.Api.Tests.Hosting;

/// <summary>The runtime settings the gateway's build bakes in (the Web SDK's defaults are not the gateway's).</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void Gateway_runs_workstation_gc_without_a_background_gc_thread()
    {
        var settings = GatewayRuntimeSettings();

        Assert.False(settings["System.GC.Server"]?.GetValue<bool>() ?? false);
        Assert.False(settings["System.GC.Concurrent"]!.GetValue<bool>());
    }

    private static JsonObject GatewayRuntimeSettings()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "SfAi.Api.runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        return config["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
