using System.Runtime.InteropServices;
using SfAi.Deploy.Compute;

namespace SfAi.Deploy.Tests;

/// <summary>
/// Which runtime runs which build, how the deploy publishes the gateway, and what it says when this machine cannot,
/// or when a prebuilt <c>lambdaPackagePath</c> lacks the file its runtime starts.
/// </summary>
public sealed class LambdaPackageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sfai-package-");

    [Fact]
    public void Default_IsTheNativeBuildAsBootstrapOnProvidedAl2023()
    {
        var package = LambdaPackage.For(new DeploySettings());
        Assert.Equal(("provided.al2023", "bootstrap"), (package.Runtime.Name, package.Handler));
    }

    [Fact]
    public void NativeAotFalse_IsTheJitBuildOnDotnet10()
    {
        var package = LambdaPackage.For(new DeploySettings { NativeAot = false });
        Assert.Equal(("dotnet10", "SfAi.Api"), (package.Runtime.Name, package.Handler));
    }

    [Theory]
    [InlineData(true, false, "publish|{src}|-c|Release|-r|linux-x64|-o|out")]
    [InlineData(false, false, "publish|{src}|-c|Release|-r|linux-x64|--self-contained|false|-p:PublishAot=false|-o|out")]
    [InlineData(false, true, "publish|{src}|-c|Release|-r|linux-arm64|--self-contained|false|-p:PublishAot=false|-o|out")]
    public void Publish_BuildsForTheRuntimeAndArchitecture(bool nativeAot, bool arm64, string expected)
    {
        var publish = new GatewayPublish("/repo", nativeAot, arm64);
        Assert.Equal(expected.Replace("{src}", Path.Combine("/repo", "src", "SfAi.Api"), StringComparison.Ordinal), string.Join('|', publish.Arguments("out")));
    }

    [Fact]
    public void AssetHash_DiffersBetweenBuildsOfTheSameSources()
    {
        var root = Path.GetTempPath();
        var kinds = new[] { (true, false), (false, false), (true, true), (false, true) }
            .Select(kind => string.Join(',', new GatewayPublish(root, kind.Item1, kind.Item2).HashInputs().Values));
        Assert.Equal(4, kinds.Distinct().Count());
    }

    [Fact]
    public void AssetHash_FollowsTheBuildInputsOutsideSrc()
    {
        var before = new GatewayPublish(_folder.FullName, true, false).HashInputs();
        File.WriteAllText(Path.Combine(_folder.FullName, "Directory.Packages.props"), "<Project />");
        Assert.NotEqual(before["SFAI_BUILD_INPUTS"], new GatewayPublish(_folder.FullName, true, false).HashInputs()["SFAI_BUILD_INPUTS"]);
    }

    [Fact]
    public void NativeArm64_OnX86WithoutTheCrossToolchain_SaysWhatToInstallOrToUseTheJitBuild()
    {
        var missing = new GatewayPublish("/repo", NativeAot: true, Arm64: true).MissingPrerequisite(Architecture.X64, tool => tool == "clang");
        Assert.Contains("gcc-aarch64-linux-gnu", missing, StringComparison.Ordinal);
        Assert.Contains("JIT build on dotnet10", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeArm64_OnX86WithTheCrossToolchain_CanBeBuilt() =>
        Assert.Null(new GatewayPublish("/repo", NativeAot: true, Arm64: true).MissingPrerequisite(Architecture.X64, tool => tool is "clang" or "aarch64-linux-gnu-gcc"));

    [Fact]
    public void NativeArm64_OnArm64_NeedsNoCrossToolchain() =>
        Assert.Null(new GatewayPublish("/repo", NativeAot: true, Arm64: true).MissingPrerequisite(Architecture.Arm64, tool => tool == "clang-18"));

    [Fact]
    public void Native_WithoutClang_SaysSo() =>
        Assert.Contains("clang", new GatewayPublish("/repo", NativeAot: true, Arm64: false).MissingPrerequisite(Architecture.X64, _ => false), StringComparison.Ordinal);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Jit_NeedsOnlyTheSdk(bool arm64) =>
        Assert.Null(new GatewayPublish("/repo", NativeAot: false, Arm64: arm64).MissingPrerequisite(Architecture.X64, _ => false));

    [Fact]
    public void PrebuiltJit_WithoutSfAiApiDll_TellsTheJitPublishCommand()
    {
        var error = Assert.Throws<ArgumentException>(() => LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName, NativeAot = false }));
        Assert.Contains("has no SfAi.Api.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=false", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave lambdaPackagePath unset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrebuiltNative_WithoutBootstrap_TellsToRenameTheAotBinary()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "SfAi.Api.dll"), "a JIT publish");
        var error = Assert.Throws<ArgumentException>(() => LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName }));
        Assert.Contains("has no bootstrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("rename <folder>/SfAi.Api to bootstrap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrebuiltArm64_IsPublishedForLinuxArm64() =>
        Assert.Contains("-r linux-arm64", Assert.Throws<ArgumentException>(() =>
            LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName, Architecture = "arm64" })).Message, StringComparison.Ordinal);

    public void Dispose() => _folder.Delete(recursive: true);
}
