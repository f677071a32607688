namespace SfAi.Core.ModelMap;

/// <summary>The gateway could not load any model map at start.</summary>
public sealed class ModelMapLoadException : Exception
{
    public ModelMapLoadException(string source, string problem)
        : base($"No model map could be loaded from {source}: {problem}") { }
}
