namespace SfAi.Core.Configuration;

/// <summary>The gateway could not load a configuration file it cannot start without.</summary>
public sealed class ConfigLoadException : Exception
{
    public ConfigLoadException(string what, string source, string problem)
        : base($"No {what} could be loaded from {source}: {problem}") { }
}
