using System.Collections.Concurrent;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Secrets;

/// <summary>
/// Keys from environment variables, for running locally (<c>OPENAI_API_KEY=… dotnet run</c>). Nothing outside the
/// process can change its environment once it runs, so each variable is read once and kept: a read takes the
/// runtime's environment lock and copies the value, on every call otherwise.
/// </summary>
public sealed class EnvironmentSecretStore : ISecretStore
{
    private readonly Func<string, string?> _lookup;
    private readonly ConcurrentDictionary<string, string?> _read = new(StringComparer.Ordinal);

    public EnvironmentSecretStore()
        : this(Environment.GetEnvironmentVariable) { }

    public EnvironmentSecretStore(Func<string, string?> lookup) => _lookup = lookup;

    public ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken) =>
        ValueTask.FromResult(reference.EnvironmentVariable is { } name ? _read.GetOrAdd(name, static (n, lookup) => Read(n, lookup), _lookup) : null);

    private static string? Read(string name, Func<string, string?> lookup) =>
        lookup(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
