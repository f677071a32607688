namespace SfAi.Core.Configuration;

/// <summary>A configuration file that breaks its rules: each problem names its JSON path and what is wrong.</summary>
public sealed class ConfigValidationException : Exception
{
    public ConfigValidationException(string what, string source, IReadOnlyList<string> problems)
        : base($"The {what} {source} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
