using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace SfAi.Deploy.Compute;

/// <summary>
/// Builds the Lambda package during <c>cdk synth</c> / <c>cdk deploy</c>, on this machine (no Docker): runs
/// <c>dotnet publish</c> into the asset folder the CDK gives, keeps what Lambda runs (the native executable renamed
/// <c>bootstrap</c>, or the JIT assemblies), and refuses a native binary that would not start on
/// <c>provided.al2023</c>. The CDK calls it only when the asset hash is new, so an unchanged gateway is not published again.
/// </summary>
internal sealed class GatewayBundler : DeputyBase, ILocalBundling
{
    /// <summary>Files of a publish that Lambda never reads: debug symbols (the native one is as large as the binary) and XML docs.</summary>
    private static readonly string[] DevelopmentFiles = ["*.dbg", "*.pdb", "*.xml"];

    private readonly GatewayPublish _publish;

    public GatewayBundler(GatewayPublish publish) => _publish = publish;

    /// <summary>Always bundles or throws: a false answer would send the CDK to Docker, which this app never uses.</summary>
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        Bundle(outputDir);
        return true;
    }

    /// <exception cref="InvalidOperationException">The machine cannot make the package, the publish failed, or its binary would not start on Lambda.</exception>
    public void Bundle(string outputDir)
    {
        if (_publish.MissingPrerequisite(RuntimeInformation.OSArchitecture, GatewayPublish.OnPath) is { } missing)
        {
            throw new InvalidOperationException($"Cannot build the Lambda package: {missing}");
        }
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"SfAi: dotnet {string.Join(' ', _publish.Arguments(outputDir))}");
        // No build servers: a reused MSBuild node or compiler server would inherit the redirected output and keep it open.
        Run([.. _publish.Arguments(outputDir), "--disable-build-servers"]);
        foreach (var pattern in DevelopmentFiles)
        {
            foreach (var file in Directory.GetFiles(outputDir, pattern))
            {
                File.Delete(file);
            }
        }
        if (_publish.NativeAot)
        {
            var bootstrap = Path.Combine(outputDir, "bootstrap");
            File.Move(Path.Combine(outputDir, "SfAi.Api"), bootstrap, overwrite: true);
            if (ProvidedAl2023.Problems(bootstrap, _publish.Arm64) is { Count: > 0 } problems)
            {
                throw new InvalidOperationException($"The native gateway would not start on provided.al2023: {string.Join(" ", problems)}");
            }
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SfAi: Lambda package built in {clock.Elapsed.TotalSeconds:F0} s"));
    }

    private static void Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The app may itself run under MSBuild (dotnet run, dotnet test): its variables would steer the child's build.
        foreach (var variable in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet {string.Join(' ', arguments)} failed (exit code {process.ExitCode}):\n{string.Join('\n', output)}");
        }
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        while (lines.Count > 60 && lines.TryDequeue(out _))
        {
        }
    }
}
