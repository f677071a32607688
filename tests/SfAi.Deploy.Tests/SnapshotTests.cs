using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>
/// The synthesized <c>SfAiProdStack</c> template is committed (<c>Snapshots/SfAiProdStack.template.json</c>), so a
/// change to the infrastructure shows in review as a change to that file. After an intended change, refresh it:
/// <c>UPDATE_SNAPSHOTS=1 dotnet test --project tests/SfAi.Deploy.Tests</c>, and commit the new file. The gateway
/// package's asset hash follows the sources (that is how an unchanged gateway is not published again), so the
/// snapshot holds <see cref="PackageHash"/> in its place.
/// </summary>
public sealed class SnapshotTests(SynthesizedStacks stacks)
{
    public const string PackageHash = "GATEWAY-PACKAGE-HASH";

    private static readonly string SnapshotPath = RepositoryRoot.Combine("tests", "SfAi.Deploy.Tests", "Snapshots", "SfAiProdStack.template.json");

    [Fact]
    public void ProdTemplate_MatchesTheCommittedSnapshot()
    {
        var packageKey = stacks.Prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction").GetProperty("Code").GetProperty("S3Key").GetString()!;
        var actual = JsonNode.Parse(stacks.Prod.Template.GetRawText().Replace(Path.GetFileNameWithoutExtension(packageKey), PackageHash, StringComparison.Ordinal));
        if (System.Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(SnapshotPath, actual!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        var expected = JsonNode.Parse(File.ReadAllText(SnapshotPath));
        var differences = TemplateDifferences.Between(expected, actual);
        Assert.True(differences.Count == 0,
            $"SfAiProdStack differs from {SnapshotPath} in {differences.Count} place(s):\n{string.Join("\n", differences.Take(40))}\n"
            + "If the change is intended: UPDATE_SNAPSHOTS=1 dotnet test --project tests/SfAi.Deploy.Tests, then commit the snapshot.");
    }
}
