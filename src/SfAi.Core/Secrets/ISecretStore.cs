using SfAi.Core.ModelMap;

namespace SfAi.Core.Secrets;

/// <summary>Resolves a provider's API key from where the model map says it lives.</summary>
public interface ISecretStore
{
    /// <summary>The key, or <c>null</c> when the source has none (missing or empty).</summary>
    ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken);
}
