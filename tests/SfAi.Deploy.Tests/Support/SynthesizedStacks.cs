using System.Text.Json;
using Amazon.CDK;
using SfAi.Deploy.Tests.Support;

[assembly: AssemblyFixture(typeof(SynthesizedStacks))]

namespace SfAi.Deploy.Tests.Support;

/// <summary>
/// The deployments the tests read, synthesized once for the whole test run (each jsii start costs a Node.js
/// process and ~66 MB of temporary files; aws/jsii#700), offline, with the feature flags of <c>deploy/cdk/cdk.json</c>:
/// <list type="bullet">
/// <item><see cref="Prod"/>: no context at all, as <c>cdk deploy SfAiProdStack</c>: the one real bundling of the
/// run, a native AOT <c>dotnet publish</c> of the gateway into the asset (minutes the first time, less when
/// <c>src/SfAi.Api/obj</c> is warm).</item>
/// <item><see cref="Staging"/>: a second environment with every switch on (streaming, native AOT on arm64 from a
/// prebuilt <c>lambdaPackagePath</c>, CORS, alarm mail, config upload, other limits, Supabase sessions with the legacy JWT secret,
/// the anon key and an audience, a gateway-wide monthly budget, the daily spend alarm).</item>
/// <item><see cref="Warm"/>: arm64 without <c>nativeAot</c> (the JIT build), streaming and provisioned concurrency,
/// synthesized as the CLI does a stack it was not asked for: bundling skipped, only the template made.</item>
/// </list>
/// The staging package and the config folder are fixed stand-ins made here. Everything jsii writes goes under one
/// temporary folder, removed at the end.
/// </summary>
public sealed class SynthesizedStacks : IDisposable
{
    public const string StagingOrigin = "https://app.example.com";
    public const string StagingAlarmEmail = "ops@example.com";
    public const string StagingSupabaseUrl = "https://abcd.supabase.co";
    public const string StagingSupabaseAnonKey = "sb_publishable_stand-in";
    public const string StagingSupabaseAudience = "staging-users";
    public const string StagingBudgetMonthlyUsd = "250.50";
    public const string StagingDailySpendAlarmUsd = "40";

    private readonly string _workspace;

    public SynthesizedStacks()
    {
        _workspace = Directory.CreateTempSubdirectory("sfai-deploy-tests-").FullName;
        var temporary = Directory.CreateDirectory(Path.Combine(_workspace, "tmp")).FullName;
        System.Environment.SetEnvironmentVariable("TMPDIR", temporary);
        // jsii warns on every start about a Node.js major it no longer supports; the warning names this variable.
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "14,16,18,20");

        var aotPackage = Folder("lambda-aot", ("bootstrap", "stand-in for the native AOT gateway"));
        ConfigFolder = Folder("config",
            ("model_map.json", """{"providers":{"echo":{"type":"echo"}},"aliases":{"echo":{"provider":"echo","model":"echo-1"}}}"""),
            ("api_keys.json", """{"anonymous":{"aliases":["echo"]},"keys":[]}"""),
            ("README.txt", "not uploaded"));

        Prod = Synthesize("prod", []);
        Staging = Synthesize("staging", new Dictionary<string, object>
        {
            ["environmentName"] = "staging",
            ["lambdaPackagePath"] = aotPackage,
            ["nativeAot"] = "true",
            ["architecture"] = "arm64",
            ["streaming"] = "true",
            ["allowOrigins"] = $"{StagingOrigin}, https://admin.example.com",
            ["alarmEmail"] = StagingAlarmEmail,
            ["uploadConfig"] = "true",
            ["configPath"] = ConfigFolder,
            ["rateLimitQpm"] = "120",
            ["burstLimit"] = "20",
            ["logUserText"] = "hash",
            ["supabaseUrl"] = StagingSupabaseUrl,
            ["supabaseJwtSecret"] = "true",
            ["supabaseAnonKey"] = StagingSupabaseAnonKey,
            ["supabaseAudience"] = StagingSupabaseAudience,
            ["budgetMonthlyUsd"] = StagingBudgetMonthlyUsd,
            ["dailySpendAlarmUsd"] = StagingDailySpendAlarmUsd,
        });
        Warm = Synthesize("warm", new Dictionary<string, object>
        {
            ["environmentName"] = "warm",
            ["architecture"] = "arm64",
            ["streaming"] = "true",
            ["provisionedConcurrency"] = "2",
            ["aws:cdk:bundling-stacks"] = Array.Empty<string>(),
        });
    }

    public StackTemplate Prod { get; }

    public StackTemplate Staging { get; }

    public StackTemplate Warm { get; }

    /// <summary>The stand-in config folder of the staging upload: the two files and one that must stay behind.</summary>
    public string ConfigFolder { get; }

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private string Folder(string name, params (string File, string Content)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_workspace, name)).FullName;
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }
        return folder;
    }

    private StackTemplate Synthesize(string name, Dictionary<string, object> context)
    {
        var outdir = Path.Combine(_workspace, "cdk.out." + name);
        var app = new App(new AppProps { Outdir = outdir, Context = CdkJsonContext() });
        foreach (var (key, value) in context)
        {
            app.Node.SetContext(key, value);
        }
        // The stack reads no environment variable here: RATE_LIMIT_QPM or ALLOW_ORIGINS on this machine change nothing.
        var settings = DeploySettings.From(app.Node.TryGetContext, _ => null);
        var stack = new SfAiStack(app, settings);
        app.Synth();

        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(outdir, stack.StackName + ".template.json")));
        return new StackTemplate(stack.StackName, outdir, template.RootElement.Clone(), Messages(outdir));
    }

    private static IReadOnlyList<string> Messages(string outdir)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outdir, "manifest.json")));
        return [.. manifest.RootElement.GetProperty("artifacts").EnumerateObject()
            .Where(artifact => artifact.Value.TryGetProperty("metadata", out _))
            .SelectMany(artifact => artifact.Value.GetProperty("metadata").EnumerateObject())
            .SelectMany(path => path.Value.EnumerateArray().Select(entry => (Path: path.Name, Entry: entry)))
            .Where(item => item.Entry.GetProperty("type").GetString() is "aws:cdk:warning" or "aws:cdk:error")
            .Select(item => $"{item.Path}: {item.Entry.GetProperty("data")}")];
    }

    /// <summary>The <c>context</c> of <c>deploy/cdk/cdk.json</c> (the feature flags), as the CLI gives it to the app.</summary>
    private static Dictionary<string, object> CdkJsonContext()
    {
        using var cdkJson = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "cdk", "cdk.json")));
        return cdkJson.RootElement.GetProperty("context").EnumerateObject().ToDictionary(
            entry => entry.Name,
            entry => entry.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => (object)entry.Value.GetString()!,
                JsonValueKind.Array => entry.Value.EnumerateArray().Select(item => item.GetString()!).ToArray(),
                var kind => throw new InvalidOperationException($"cdk.json context '{entry.Name}' is a {kind}; the tests read booleans, strings and string arrays."),
            });
    }
}
