namespace SfAi.Core.ModelMap;

/// <summary>The upstream protocols the gateway speaks. Spelled in the model map as in <see cref="ProviderTypes"/>.</summary>
public enum ProviderType
{
    OpenAI,
    OpenAICompatible,
    Anthropic,
    Echo,
}
