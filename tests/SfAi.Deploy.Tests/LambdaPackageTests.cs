using SfAi.Deploy.Compute;

namespace SfAi.Deploy.Tests;

/// <summary>A deploy without the right publish output stops before anything is uploaded, and says how to publish.</summary>
public sealed class LambdaPackageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sfai-package-");

    [Fact]
    public void ManagedRuntime_WithoutSfAiApiDll_TellsTheJitPublishCommand()
    {
        var error = Assert.Throws<ArgumentException>(() => LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName }));
        Assert.Contains("has no SfAi.Api.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeAot_WithoutBootstrap_TellsToRenameTheAotBinary()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "SfAi.Api.dll"), "a JIT publish");
        var error = Assert.Throws<ArgumentException>(() => LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName, NativeAot = true }));
        Assert.Contains("has no bootstrap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arm64_IsPublishedForLinuxArm64() =>
        Assert.Contains("-r linux-arm64", Assert.Throws<ArgumentException>(() =>
            LambdaPackage.For(new DeploySettings { LambdaPackagePath = _folder.FullName, Architecture = "arm64" })).Message, StringComparison.Ordinal);

    public void Dispose() => _folder.Delete(recursive: true);
}
