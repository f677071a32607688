using SfAi.Core.Errors;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers;

/// <summary>The provider implementation for each provider type.</summary>
public sealed class ProviderRegistry
{
    private readonly IReadOnlyDictionary<ProviderType, IChatProvider> _providers;

    public ProviderRegistry(IReadOnlyDictionary<ProviderType, IChatProvider> providers) => _providers = providers;

    /// <exception cref="GatewayException">No implementation serves the provider's type.</exception>
    public IChatProvider For(ProviderDefinition provider) =>
        _providers.TryGetValue(provider.Type, out var implementation)
            ? implementation
            : throw new GatewayException(GatewayError.ProviderNotAvailable(provider.Name, ProviderTypes.ToName(provider.Type)));
}
