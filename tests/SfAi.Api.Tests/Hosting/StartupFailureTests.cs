using System.Diagnostics;

namespace SfAi.Api.Tests.Hosting;

/// <summary>A gateway started with an invalid model map lists the problems once, by JSON path, and exits 1: no stack trace, no abort.</summary>
public sealed class StartupFailureTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    public async Task An_invalid_model_map_stops_the_start_with_its_problems_and_exit_code_1(string logFormat)
    {
        var map = Path.Combine(Path.GetTempPath(), $"sfai-invalid-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(map, """{"providers":{"x":{"type":"nope"}},"aliases":{}}""", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("dotnet", [typeof(GatewayApplication).Assembly.Location, "--urls=http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["MODEL_MAP_PATH"] = map, ["LOG_FORMAT"] = logFormat, ["AWS_LAMBDA_RUNTIME_API"] = "" },
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var printed = await output + await error;
        File.Delete(map);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("$.providers.x.type: 'nope' is not a provider type", printed, StringComparison.Ordinal);
        Assert.Single(printed.Split("$.providers.x.type").Skip(1));
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", printed, StringComparison.Ordinal);
    }
}
