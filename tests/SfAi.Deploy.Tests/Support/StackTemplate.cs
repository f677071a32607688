using System.Text.Json;

namespace SfAi.Deploy.Tests.Support;

/// <summary>A stack as <c>cdk synth</c> writes it: its CloudFormation template and the cloud assembly's messages.</summary>
public sealed class StackTemplate
{
    public StackTemplate(string stackName, string assemblyDirectory, JsonElement template, IReadOnlyList<string> messages)
    {
        StackName = stackName;
        AssemblyDirectory = assemblyDirectory;
        Template = template;
        Messages = messages;
    }

    public string StackName { get; }

    /// <summary>The cloud assembly folder (cdk.out), with the staged assets.</summary>
    public string AssemblyDirectory { get; }

    public JsonElement Template { get; }

    /// <summary>The warnings and errors that constructs attached during synthesis (<c>aws:cdk:warning</c>, <c>aws:cdk:error</c>).</summary>
    public IReadOnlyList<string> Messages { get; }

    public IEnumerable<KeyValuePair<string, JsonElement>> Resources(string type) =>
        Template.GetProperty("Resources").EnumerateObject()
            .Where(resource => resource.Value.GetProperty("Type").GetString() == type)
            .Select(resource => KeyValuePair.Create(resource.Name, resource.Value));

    public JsonElement Resource(string logicalId) => Template.GetProperty("Resources").GetProperty(logicalId);

    /// <summary>The only resource of <paramref name="type"/> whose logical ID starts with <paramref name="idPrefix"/>.</summary>
    public JsonElement Only(string type, string idPrefix = "") =>
        Assert.Single(Resources(type), resource => resource.Key.StartsWith(idPrefix, StringComparison.Ordinal)).Value;

    public JsonElement Properties(string type, string idPrefix = "") => Only(type, idPrefix).GetProperty("Properties");

    /// <summary>The environment variables of the function whose logical ID starts with <paramref name="idPrefix"/>.</summary>
    public JsonElement Variables(string idPrefix) =>
        Properties("AWS::Lambda::Function", idPrefix).GetProperty("Environment").GetProperty("Variables");

    public JsonElement Output(string name) => Template.GetProperty("Outputs").GetProperty(name);

    /// <summary>Every statement of every identity policy in the template.</summary>
    public IEnumerable<(string Policy, JsonElement Statement)> PolicyStatements() =>
        Resources("AWS::IAM::Policy").SelectMany(policy => policy.Value.GetProperty("Properties").GetProperty("PolicyDocument")
            .GetProperty("Statement").EnumerateArray().Select(statement => (policy.Key, statement)));

    /// <summary>The statements of the policy attached to the role whose logical ID starts with <paramref name="rolePrefix"/>.</summary>
    public IReadOnlyList<JsonElement> StatementsOfRole(string rolePrefix) =>
        [.. Resources("AWS::IAM::Policy")
            .Where(policy => policy.Value.GetProperty("Properties").GetProperty("Roles").EnumerateArray()
                .Any(role => role.GetProperty("Ref").GetString()!.StartsWith(rolePrefix, StringComparison.Ordinal)))
            .SelectMany(policy => policy.Value.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())];

    /// <summary>The statement of a role's policy with this <c>Sid</c>.</summary>
    public JsonElement Statement(string rolePrefix, string sid) =>
        Assert.Single(StatementsOfRole(rolePrefix), statement => statement.TryGetProperty("Sid", out var id) && id.GetString() == sid);
}
