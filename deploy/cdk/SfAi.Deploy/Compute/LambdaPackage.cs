using Amazon.CDK.AWS.Lambda;

namespace SfAi.Deploy.Compute;

/// <summary>
/// The published gateway the functions run, and how Lambda starts it: the managed <c>dotnet10</c> runtime runs the
/// executable assembly <c>SfAi.Api</c> (a JIT publish); <c>provided.al2023</c> runs the native AOT binary renamed
/// <c>bootstrap</c>. The folder is checked before anything is uploaded, so a missing or wrong publish fails here.
/// </summary>
internal sealed class LambdaPackage
{
    private LambdaPackage(Runtime runtime, string handler, string path)
    {
        Runtime = runtime;
        Handler = handler;
        Path = path;
    }

    public Runtime Runtime { get; }

    public string Handler { get; }

    public string Path { get; }

    public Code Code => Code.FromAsset(Path);

    /// <exception cref="ArgumentException">The folder does not hold the file that the runtime starts.</exception>
    public static LambdaPackage For(DeploySettings settings)
    {
        var entry = settings.NativeAot ? "bootstrap" : "SfAi.Api.dll";
        if (!File.Exists(System.IO.Path.Combine(settings.LambdaPackagePath, entry)))
        {
            var rid = settings.Arm64 ? "linux-arm64" : "linux-x64";
            var publish = settings.NativeAot
                ? $"dotnet publish src/SfAi.Api -c Release -r {rid} -o artifacts/lambda on Amazon Linux 2023, then rename artifacts/lambda/SfAi.Api to bootstrap (docs/deploy.md)"
                : $"dotnet publish src/SfAi.Api -c Release -r {rid} --self-contained false -p:PublishAot=false -o artifacts/lambda";
            throw new ArgumentException(
                $"lambdaPackagePath '{System.IO.Path.GetFullPath(settings.LambdaPackagePath)}' has no {entry}. Publish the gateway first: {publish}.");
        }
        return settings.NativeAot
            ? new LambdaPackage(Runtime.PROVIDED_AL2023, "bootstrap", settings.LambdaPackagePath)
            // The CDK 2.160 has no constant for dotnet10; this is the value CloudFormation takes.
            : new LambdaPackage(new Runtime("dotnet10", RuntimeFamily.DOTNET_CORE), "SfAi.Api", settings.LambdaPackagePath);
    }
}
