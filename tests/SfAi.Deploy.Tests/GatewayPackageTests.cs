using System.Text;
using SfAi.Deploy.Compute;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>
/// The package that <c>cdk deploy SfAiProdStack</c> builds by itself (the fixture's one real bundling): the native
/// gateway as <c>bootstrap</c> at the root of the asset, able to start on <c>provided.al2023</c>, and the guard that
/// refuses a binary that could not.
/// </summary>
public sealed class GatewayPackageTests(SynthesizedStacks stacks) : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sfai-elf-");

    private string Asset
    {
        get
        {
            var key = stacks.Prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction").GetProperty("Code").GetProperty("S3Key").GetString()!;
            return Path.Combine(stacks.Prod.AssemblyDirectory, "asset." + Path.GetFileNameWithoutExtension(key));
        }
    }

    private string Bootstrap => Path.Combine(Asset, "bootstrap");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Asset_HoldsAnExecutableElfBootstrapAtItsRoot()
    {
        Assert.True(ElfImage.IsElf(Bootstrap));
        Assert.True(File.GetUnixFileMode(Bootstrap).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(ElfImage.MachineX86_64, ElfImage.Read(Bootstrap).Machine);
    }

    [Fact]
    public void Asset_LeavesOutTheDebugSymbolsAndTheUnrenamedBinary()
    {
        var files = Directory.GetFiles(Asset).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, file => file!.EndsWith(".dbg", StringComparison.Ordinal) || file.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.DoesNotContain("SfAi.Api", files);
    }

    [Fact]
    public void Bootstrap_RequiresNoGlibcNewerThanAmazonLinux2023s()
    {
        var image = ElfImage.Read(Bootstrap);
        Assert.Contains(("libc.so.6", "GLIBC_2.2.5"), image.VersionNeeds);
        Assert.InRange(image.HighestGlibc!, new Version(2, 2, 5), ProvidedAl2023.Glibc);
    }

    [Fact]
    public void Bootstrap_NeedsOnlyLibrariesOfProvidedAl2023AtStart()
    {
        var needed = ElfImage.Read(Bootstrap).Needed;
        Assert.Contains("libc.so.6", needed);
        Assert.All(needed, library => Assert.Contains(library, ProvidedAl2023.Libraries));
        Assert.Empty(ProvidedAl2023.Problems(Bootstrap, arm64: false));
    }

    [Fact]
    public void Guard_RefusesABinaryThatRequiresANewerGlibc()
    {
        // The same binary with its highest requirement rewritten in place, as a build on a newer glibc would link it.
        var bytes = File.ReadAllBytes(Bootstrap);
        var highest = Encoding.ASCII.GetBytes($"GLIBC_{ElfImage.Read(Bootstrap).HighestGlibc}\0");
        var newer = Encoding.ASCII.GetBytes("GLIBC_2.38\0");
        Assert.Equal(highest.Length, newer.Length);
        var at = bytes.AsSpan().IndexOf(highest);
        newer.CopyTo(bytes, at);
        var binary = Path.Combine(_scratch.FullName, "bootstrap");
        File.WriteAllBytes(binary, bytes);

        var problem = Assert.Single(ProvidedAl2023.Problems(binary, arm64: false));
        Assert.Contains("requires GLIBC_2.38", problem, StringComparison.Ordinal);
        Assert.Contains("provided.al2023 has glibc 2.34", problem, StringComparison.Ordinal);
        Assert.Contains("-c nativeAot=false", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Guard_RefusesABinaryForTheOtherArchitecture() =>
        Assert.Contains("not arm64", Assert.Single(ProvidedAl2023.Problems(Bootstrap, arm64: true)), StringComparison.Ordinal);

    [Fact]
    public void Guard_RefusesAFileThatIsNoElfExecutable()
    {
        var script = Path.Combine(_scratch.FullName, "bootstrap");
        File.WriteAllText(script, "#!/bin/sh\nexec ./SfAi.Api\n");
        Assert.Contains("is not an ELF executable", Assert.Single(ProvidedAl2023.Problems(script, arm64: false)), StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
