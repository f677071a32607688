using YamlDotNet.RepresentationModel;

namespace SfAi.Deploy.Tests.Support;

/// <summary>A GitHub Actions workflow of <c>.github/workflows</c>, read with YamlDotNet.</summary>
internal sealed class Workflow
{
    private Workflow(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
        Steps = [.. Mapping(root, "jobs").Children.SelectMany(job => Sequence((YamlMappingNode)job.Value, "steps")
            .Select(step => new WorkflowStep(job.Key.ToString(), (YamlMappingNode)step)))];
    }

    public string Name { get; }

    public YamlMappingNode Root { get; }

    public IReadOnlyList<WorkflowStep> Steps { get; }

    public IEnumerable<WorkflowStep> RunSteps => Steps.Where(step => step.Run is not null);

    public static Workflow Load(string fileName)
    {
        using var reader = new StreamReader(RepositoryRoot.Combine(".github", "workflows", fileName));
        var stream = new YamlStream();
        stream.Load(reader);
        return new Workflow(fileName, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}

/// <summary>One step of a job: an action (<c>uses</c>) or a shell script (<c>run</c>) in a working directory.</summary>
internal sealed class WorkflowStep(string job, YamlMappingNode node)
{
    public string Job { get; } = job;

    public YamlMappingNode Node { get; } = node;

    public string Title => Workflow.Scalar(Node, "name") ?? Uses ?? Run ?? "?";

    public string? Uses => Workflow.Scalar(Node, "uses");

    public string? Run => Workflow.Scalar(Node, "run");

    /// <summary>The folder the script runs in, relative to the repository.</summary>
    public string WorkingDirectory => Workflow.Scalar(Node, "working-directory") ?? ".";

    public string? With(string key) => Node.Children.TryGetValue(new YamlScalarNode("with"), out var with) ? Workflow.Scalar((YamlMappingNode)with, key) : null;

    public override string ToString() => $"{Job} / {Title}";
}
