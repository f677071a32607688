using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;

namespace SfAi.Deploy.Compute;

/// <summary>
/// The published gateway the functions run, and how Lambda starts it: <c>provided.al2023</c> runs the native AOT
/// binary named <c>bootstrap</c> (the default); the managed <c>dotnet10</c> runtime runs the executable assembly
/// <c>SfAi.Api</c> of a JIT publish. By default the package is built by the deploy itself (<see cref="GatewayBundler"/>),
/// as a CDK asset hashed over the gateway's sources; <c>lambdaPackagePath</c> names a folder published beforehand instead.
/// </summary>
internal sealed class LambdaPackage
{
    /// <summary>What the asset hash ignores under <c>src/</c>: build output and editor files.</summary>
    public static readonly IReadOnlyList<string> SourceExcludes = ["bin", "obj", ".vs", "*.user", "TestResults"];

    private LambdaPackage(Runtime runtime, string handler, Code code)
    {
        Runtime = runtime;
        Handler = handler;
        Code = code;
    }

    public Runtime Runtime { get; }

    public string Handler { get; }

    /// <summary>One asset, shared by the functions: built (or copied) once per synthesis.</summary>
    public Code Code { get; }

    /// <exception cref="ArgumentException">A prebuilt folder does not hold the file that the runtime starts.</exception>
    public static LambdaPackage For(DeploySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var code = settings.LambdaPackagePath is { } path ? Prebuilt(settings, path) : Built(settings, RepositoryRoot());
        return settings.NativeAot
            ? new LambdaPackage(Runtime.PROVIDED_AL2023, "bootstrap", code)
            // The CDK 2.160 has no constant for dotnet10; this is the value CloudFormation takes.
            : new LambdaPackage(new Runtime("dotnet10", RuntimeFamily.DOTNET_CORE), "SfAi.Api", code);
    }

    /// <summary>The gateway's sources as an asset whose bundling publishes them; its hash covers <c>src/</c> and <see cref="GatewayPublish.HashInputs"/>.</summary>
    private static AssetCode Built(DeploySettings settings, string repositoryRoot)
    {
        var publish = new GatewayPublish(repositoryRoot, settings.NativeAot, settings.Arm64);
        return Code.FromAsset(Path.Combine(repositoryRoot, "src"), new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            AssetHashType = AssetHashType.SOURCE,
            Exclude = [.. SourceExcludes],
            Bundling = new BundlingOptions
            {
                // Required by the CDK's type; never pulled: the local bundler always builds or fails.
                Image = DockerImage.FromRegistry("sfai-local-bundling-only"),
                Local = new GatewayBundler(publish),
                Environment = publish.HashInputs(),
            },
        });
    }

    private static AssetCode Prebuilt(DeploySettings settings, string path)
    {
        var entry = settings.NativeAot ? "bootstrap" : "SfAi.Api.dll";
        if (!File.Exists(Path.Combine(path, entry)))
        {
            var rid = settings.Arm64 ? "linux-arm64" : "linux-x64";
            var publish = settings.NativeAot
                ? $"dotnet publish src/SfAi.Api -c Release -r {rid} -o <folder>, then rename <folder>/SfAi.Api to bootstrap"
                : $"dotnet publish src/SfAi.Api -c Release -r {rid} --self-contained false -p:PublishAot=false -o <folder>";
            throw new ArgumentException(
                $"lambdaPackagePath '{Path.GetFullPath(path)}' has no {entry}. Publish the gateway there first ({publish}), "
                + "or leave lambdaPackagePath unset and the deploy builds the package itself.");
        }
        return Code.FromAsset(path);
    }

    /// <summary>The repository holding the gateway: the first folder at or above the working directory with <c>SfAi.sln</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SfAi.sln")))
            {
                return folder.FullName;
            }
        }
        throw new ArgumentException(
            $"No SfAi.sln at or above {Directory.GetCurrentDirectory()}: run the CDK from deploy/cdk of the repository, or give -c lambdaPackagePath=<published folder>.");
    }
}
