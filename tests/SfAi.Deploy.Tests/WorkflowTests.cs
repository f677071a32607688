using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SfAi.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SfAi.Deploy.Tests;

/// <summary>
/// The GitHub Actions workflows, read as YAML: each <c>run</c> step calls tools the runner has and refers to paths,
/// projects and files that exist in this repository; CI runs the README's commands; the deployment assumes a role
/// through OIDC and smoke-tests the deployed gateway with a key the shipped keys file accepts.
/// </summary>
public sealed class WorkflowTests
{
    /// <summary>What a <c>run</c> step may call: tools on GitHub's Ubuntu runners or set up by the workflow's actions.</summary>
    private static readonly HashSet<string> Tools = ["dotnet", "npm", "npx", "curl", "jq", "grep", "echo", "tee", "test", "cat", "mkdir", "mv", "bash"];

    /// <summary>The repository's own top-level folders: a path under one of them must exist (artifacts/ is made by the steps).</summary>
    private static readonly HashSet<string> RepositoryFolders = ["src", "tests", "deploy", "config", "docs", "scripts", "schemas", ".ci", ".github"];

    private static readonly Workflow Ci = Workflow.Load("ci.yml");
    private static readonly Workflow Deploy = Workflow.Load("deploy.yml");

    public static TheoryData<string> Files => ["ci.yml", "deploy.yml"];

    [Theory]
    [MemberData(nameof(Files))]
    public void RunSteps_CallOnlyToolsTheRunnerHas(string file)
    {
        foreach (var step in Workflow.Load(file).RunSteps)
        {
            foreach (var command in ShellScript.Commands(step.Run!))
            {
                Assert.True(Tools.Contains(command[0]), $"{file}: '{step}' calls '{command[0]}', which is not one of: {string.Join(", ", Tools)}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RunSteps_RunInFoldersThatExist(string file) =>
        Assert.All(Workflow.Load(file).RunSteps, step => Assert.True(Directory.Exists(RepositoryRoot.Combine(step.WorkingDirectory)), $"{file}: '{step}' runs in {step.WorkingDirectory}."));

    [Theory]
    [MemberData(nameof(Files))]
    public void RunSteps_ReferToRepositoryPathsThatExist(string file)
    {
        var checkedPaths = 0;
        foreach (var step in Workflow.Load(file).RunSteps)
        {
            // A working directory is a path of the repository too; RunSteps_RunInFoldersThatExist checks it.
            checkedPaths += step.WorkingDirectory == "." ? 0 : 1;
            foreach (var word in ShellScript.Commands(step.Run!).SelectMany(command => command.Skip(1)))
            {
                if (RepositoryPath(step, word) is { } path)
                {
                    checkedPaths++;
                    Assert.True(File.Exists(path) || Directory.Exists(path), $"{file}: '{step}' refers to {word}, which does not exist.");
                }
            }
        }
        Assert.True(checkedPaths > 0, $"{file} refers to no path of the repository.");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void DotnetCommands_NameProjectsOrSolutionsThatExist(string file)
    {
        foreach (var step in Workflow.Load(file).RunSteps)
        {
            foreach (var command in ShellScript.Commands(step.Run!).Where(c => c[0] == "dotnet" && c.Count > 2 && !c[2].StartsWith('-')))
            {
                var target = RepositoryRoot.Combine(step.WorkingDirectory, command[2]);
                var isProject = target.EndsWith(".sln", StringComparison.Ordinal) || target.EndsWith(".csproj", StringComparison.Ordinal)
                    ? File.Exists(target)
                    : Directory.Exists(target) && Directory.GetFiles(target, "*.csproj").Length == 1;
                Assert.True(isProject, $"{file}: '{step}' runs dotnet {command[1]} on {command[2]}, which is no project or solution.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CdkCommands_RunWhereCdkJsonNamesTheDeployApp(string file)
    {
        var cdkSteps = Workflow.Load(file).RunSteps.Where(step => ShellScript.Commands(step.Run!).Any(c => c.Contains("aws-cdk@2"))).ToList();
        Assert.NotEmpty(cdkSteps);
        foreach (var step in cdkSteps)
        {
            using var cdkJson = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine(step.WorkingDirectory, "cdk.json")));
            var app = cdkJson.RootElement.GetProperty("app").GetString()!.Split(' ');
            Assert.Equal(["dotnet", "run", "--project"], app[..3]);
            Assert.True(File.Exists(RepositoryRoot.Combine(step.WorkingDirectory, app[3], "SfAi.Deploy.csproj")), $"cdk.json runs {app[3]}.");
        }
    }

    [Fact]
    public void NpmCi_InstallsFromALockFileThatExists()
    {
        var install = ShellScript.Commands(Ci.RunSteps.Single(step => step.Run!.StartsWith("npm ci", StringComparison.Ordinal)).Run!).Single();
        var prefix = install[install.ToList().IndexOf("--prefix") + 1];
        Assert.True(File.Exists(RepositoryRoot.Combine(prefix, "package-lock.json")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Actions_ArePinnedToAMajorVersion(string file) =>
        Assert.All(Workflow.Load(file).Steps.Where(step => step.Uses is not null), step => Assert.Matches(@"^[\w.-]+/[\w.-]+@v\d+$", step.Uses!));

    [Fact]
    public void Ci_RunsOnPushAndPullRequest()
    {
        var triggers = Workflow.Mapping(Ci.Root, "on").Children.Keys.Select(key => key.ToString());
        Assert.Equal(["pull_request", "push"], triggers.Order());
    }

    [Fact]
    public void Ci_RunsTheReadmesTestCommand()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        Assert.Contains("```sh\ndotnet test\n```", readme, StringComparison.Ordinal);
        Assert.Contains(Ci.RunSteps, step => step.Run!.Trim() == "dotnet test");
    }

    [Fact]
    public void Ci_BuildsTheSolution() => Assert.Contains(Ci.RunSteps, step => step.Run!.Trim() == "dotnet build SfAi.sln");

    [Fact]
    public void Ci_SynthesizesTheProdStackFromTheLocalApp() =>
        Assert.Contains(Ci.RunSteps, step => step.WorkingDirectory == "deploy/cdk" && step.Run!.Contains("aws-cdk@2 synth SfAiProdStack", StringComparison.Ordinal));

    [Fact]
    public void Ci_CachesNuGetPackagesKeyedByTheCentralVersions()
    {
        var cache = Assert.Single(Ci.Steps, step => step.Uses?.StartsWith("actions/cache@", StringComparison.Ordinal) == true);
        Assert.Equal("~/.nuget/packages", cache.With("path"));
        Assert.Contains("Directory.Packages.props", cache.With("key"), StringComparison.Ordinal);
    }

    [Fact]
    public void CiAndDeploy_LeaveThePublishToTheCdkAppsBundling()
    {
        foreach (var workflow in new[] { Ci, Deploy })
        {
            Assert.DoesNotContain(workflow.RunSteps, step => step.Run!.Contains("dotnet publish", StringComparison.Ordinal));
            Assert.DoesNotContain(workflow.RunSteps, step => step.Run!.Contains("lambdaPackagePath", StringComparison.Ordinal) || step.Run!.Contains("nativeAot", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void NativeBuilds_RunOnAGlibcCloseToAmazonLinux2023s(string file)
    {
        var jobs = Workflow.Mapping(Workflow.Load(file).Root, "jobs").Children.Values.Cast<YamlMappingNode>();
        Assert.All(jobs, job => Assert.Equal("ubuntu-22.04", Workflow.Scalar(job, "runs-on")));
    }

    [Fact]
    public void Deploy_RunsByHandWithAnEnvironmentInputOrOnAVersionTag()
    {
        var on = Workflow.Mapping(Deploy.Root, "on");
        var environment = Workflow.Mapping(Workflow.Mapping(Workflow.Mapping(on, "workflow_dispatch"), "inputs"), "environment");
        Assert.Equal("prod", Workflow.Scalar(environment, "default"));
        Assert.Equal(["v*"], Workflow.Sequence(Workflow.Mapping(on, "push"), "tags").Select(tag => tag.ToString()));
    }

    [Fact]
    public void Deploy_AssumesARoleThroughGitHubOidc()
    {
        Assert.Equal("write", Workflow.Scalar(Workflow.Mapping(Deploy.Root, "permissions"), "id-token"));
        var credentials = Assert.Single(Deploy.Steps, step => step.Uses?.StartsWith("aws-actions/configure-aws-credentials@", StringComparison.Ordinal) == true);
        Assert.Equal("${{ vars.AWS_DEPLOY_ROLE_ARN }}", credentials.With("role-to-assume"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Workflows_HoldNoLongLivedAwsKeys(string file)
    {
        var text = File.ReadAllText(RepositoryRoot.Combine(".github", "workflows", file));
        Assert.DoesNotContain("aws-access-key-id", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Deploy_TargetsTheStackTheAppNamesForTheEnvironment()
    {
        var deploy = ShellScript.Commands(Deploy.RunSteps.Single(step => step.Run!.Contains("aws-cdk@2 deploy", StringComparison.Ordinal)).Run!).Single();
        var stackExpression = deploy[deploy.ToList().IndexOf("deploy") + 1];
        foreach (var environment in new[] { "prod", "staging", "dev-2" })
        {
            var expected = new DeploySettings { EnvironmentName = environment }.StackName;
            Assert.Equal(expected, Bash($"ENVIRONMENT_NAME={environment}; printf %s \"{stackExpression}\""));
        }
        Assert.Contains("environmentName=$ENVIRONMENT_NAME", deploy);
    }

    [Fact]
    public void Deploy_WritesTheOutputsTheSmokeTestReads()
    {
        var deploy = ShellScript.Commands(Deploy.RunSteps.Single(step => step.Run!.Contains("aws-cdk@2 deploy", StringComparison.Ordinal)).Run!).Single();
        var outputs = deploy[deploy.ToList().IndexOf("--outputs-file") + 1];
        Assert.Equal("../../artifacts/outputs.json", outputs);
        Assert.Contains(Deploy.RunSteps, step => step.Run!.Contains("jq -r '.[].ChatApiEndpoint' artifacts/outputs.json", StringComparison.Ordinal));
    }

    [Fact]
    public void SmokeTest_PostsToTheChatCompletionsOfTheEndpointOnTheEchoAlias()
    {
        var curl = ShellScript.Commands(SmokeStep().Run!).Single(command => command[0] == "curl");
        Assert.Contains("$endpoint/chat/completions", curl);
        using var body = JsonDocument.Parse(curl[curl.ToList().IndexOf("-d") + 1]);
        Assert.Equal("echo", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void SmokeTest_DefaultKeyIsTheShippedLocalEchoKey()
    {
        var smokeKey = Workflow.Scalar(Workflow.Mapping(Workflow.Mapping(Workflow.Mapping(Deploy.Root, "jobs"), "deploy"), "env"), "SMOKE_KEY")!;
        Assert.Contains("'sk-sfai-local-echo'", smokeKey, StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("sk-sfai-local-echo")));
        using var keys = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("config", "api_keys.json")));
        var key = Assert.Single(keys.RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("sha256").GetString() == hash);
        Assert.Contains("echo", key.GetProperty("aliases").EnumerateArray().Select(alias => alias.GetString()));
    }

    [Fact]
    public void SmokeTest_EchoAliasExistsInTheShippedModelMap()
    {
        using var map = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("config", "model_map.json")));
        var echo = map.RootElement.GetProperty("aliases").GetProperty("echo").GetProperty("provider").GetString()!;
        Assert.Equal("echo", map.RootElement.GetProperty("providers").GetProperty(echo).GetProperty("type").GetString());
    }

    private static WorkflowStep SmokeStep() => Deploy.RunSteps.Single(step => step.Title == "Smoke test");

    /// <summary>The repository path a word names, if its first folder is one of the repository's own; null otherwise.</summary>
    private static string? RepositoryPath(WorkflowStep step, string word)
    {
        if (word.StartsWith('-') || word.Contains('$', StringComparison.Ordinal) || !word.Contains('/', StringComparison.Ordinal) || word.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, step.WorkingDirectory, word));
        var relative = Path.GetRelativePath(RepositoryRoot.Path, full);
        var first = relative.Split(Path.DirectorySeparatorChar)[0];
        return RepositoryFolders.Contains(first) ? full : null;
    }

    private static string Bash(string script)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true })!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return output;
    }
}
