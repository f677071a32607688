using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SfAi.Deploy.Compute;

/// <summary>
/// How the gateway is published for Lambda: <c>dotnet publish src/SfAi.Api -c Release -r linux-x64|linux-arm64</c>,
/// native AOT (the executable becomes <c>bootstrap</c>) or framework-dependent JIT (<c>SfAi.Api.dll</c> for the
/// managed <c>dotnet10</c> runtime).
/// </summary>
internal sealed record GatewayPublish(string RepositoryRoot, bool NativeAot, bool Arm64)
{
    /// <summary>The files besides <c>src/</c> that change what the publish produces: build settings, package versions, SDK, shipped config.</summary>
    public static readonly IReadOnlyList<string> BuildInputs =
        ["Directory.Build.props", "Directory.Packages.props", "global.json", "config/model_map.json", "config/api_keys.json"];

    public string RuntimeIdentifier => Arm64 ? "linux-arm64" : "linux-x64";

    public string Project => Path.Combine(RepositoryRoot, "src", "SfAi.Api");

    /// <summary>The <c>dotnet</c> arguments that publish into <paramref name="output"/>.</summary>
    public IReadOnlyList<string> Arguments(string output) => NativeAot
        ? ["publish", Project, "-c", "Release", "-r", RuntimeIdentifier, "-o", output]
        : ["publish", Project, "-c", "Release", "-r", RuntimeIdentifier, "--self-contained", "false", "-p:PublishAot=false", "-o", output];

    /// <summary>What goes into the asset hash besides the sources: the build's kind and the build inputs outside <c>src/</c>.</summary>
    public Dictionary<string, string> HashInputs()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in BuildInputs)
        {
            var path = Path.Combine(RepositoryRoot, input);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(input + "\n"));
            if (File.Exists(path))
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }
        return new(StringComparer.Ordinal)
        {
            ["SFAI_PUBLISH"] = $"{(NativeAot ? "aot" : "jit")} {RuntimeIdentifier}",
            ["SFAI_BUILD_INPUTS"] = Convert.ToHexStringLower(hash.GetHashAndReset()),
        };
    }

    /// <summary>
    /// Why this machine cannot make the package, or null when it can. A native AOT build for arm64 on an x86_64
    /// machine needs the arm64 cross toolchain (clang, and gcc's arm64 cross compiler with its sysroot); the JIT
    /// build and a build for the machine's own architecture need only the .NET SDK (and clang for native AOT).
    /// </summary>
    public string? MissingPrerequisite(Architecture machine, Func<string, bool> onPath)
    {
        ArgumentNullException.ThrowIfNull(onPath);
        if (!NativeAot)
        {
            return null;
        }
        if (!OperatingSystem.IsLinux())
        {
            return "a native AOT build for Lambda is made on Linux (the compiler links for the machine it runs on); "
                + "deploy from Linux, or deploy the JIT build with -c nativeAot=false.";
        }
        if (!onPath("clang") && !Enumerable.Range(10, 20).Any(version => onPath($"clang-{version}")))
        {
            return "native AOT needs clang on PATH (apt-get install clang, or dnf install clang), or deploy the JIT build with -c nativeAot=false.";
        }
        var own = Arm64 ? Architecture.Arm64 : Architecture.X64;
        if (machine != own && Arm64 && !onPath("aarch64-linux-gnu-gcc"))
        {
            return "architecture=arm64 with nativeAot=true on an x86_64 machine needs the arm64 cross toolchain "
                + "(Debian/Ubuntu: apt-get install clang llvm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu). "
                + "Install it, deploy from an arm64 machine, or leave nativeAot unset: arm64 then runs the JIT build on dotnet10.";
        }
        if (machine != own && !Arm64)
        {
            return "architecture=x86_64 with nativeAot=true is built on an x86_64 machine; on this one deploy with -c architecture=arm64 or -c nativeAot=false.";
        }
        return null;
    }

    /// <summary>True when <paramref name="tool"/> is an executable file in a folder of PATH.</summary>
    public static bool OnPath(string tool) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, tool)));
}
