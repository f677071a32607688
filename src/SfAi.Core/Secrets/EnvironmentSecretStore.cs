using SfAi.Core.ModelMap;

namespace SfAi.Core.Secrets;

/// <summary>Keys from environment variables, for running locally (<c>OPENAI_API_KEY=… dotnet run</c>).</summary>
public sealed class EnvironmentSecretStore : ISecretStore
{
    private readonly Func<string, string?> _lookup;

    public EnvironmentSecretStore()
        : this(Environment.GetEnvironmentVariable) { }

    public EnvironmentSecretStore(Func<string, string?> lookup) => _lookup = lookup;

    public ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var value = reference.EnvironmentVariable is { } name ? _lookup(name) : null;
        return ValueTask.FromResult(string.IsNullOrWhiteSpace(value) ? null : value.Trim());
    }
}
