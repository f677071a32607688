namespace SfAi.Core.ModelMap;

/// <summary>A model map that does not follow the schema: each problem names its JSON path and what is wrong.</summary>
public sealed class ModelMapValidationException : Exception
{
    public ModelMapValidationException(string source, IReadOnlyList<string> problems)
        : base($"The model map {source} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    /// <summary>One line per problem, each starting with the JSON path (<c>$.aliases.backend.provider: …</c>).</summary>
    public IReadOnlyList<string> Problems { get; }
}
