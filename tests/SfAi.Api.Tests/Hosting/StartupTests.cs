using SfAi.Core.Configuration;
using SfAi.Api.Tests.Support;
using SfAi.Core.ModelMap;

namespace SfAi.Api.Tests.Hosting;

/// <summary>The gateway refuses to start without a usable model map, and says where it looked.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Refuses_to_start_with_an_invalid_model_map_naming_the_file_and_the_path()
    {
        var error = await Assert.ThrowsAsync<ConfigLoadException>(() => TestGateway.StartAsync("""{"providers":{},"aliases":{}}"""));

        Assert.Contains("model_map.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.aliases: must declare at least one alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_when_a_setting_is_malformed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(ModelMaps.EchoOnly, "--LOG_USER_TEXT=some"));

        Assert.Contains("LOG_USER_TEXT", error.Message, StringComparison.Ordinal);
    }
}
