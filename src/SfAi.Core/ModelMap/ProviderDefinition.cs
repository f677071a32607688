namespace SfAi.Core.ModelMap;

/// <summary>One entry of the model map's <c>providers</c>.</summary>
public sealed record ProviderDefinition(
    string Name,
    ProviderType Type,
    Uri? BaseUrl,
    SecretReference? ApiKey,
    TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
}
