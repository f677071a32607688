namespace SfAi.Core.ModelMap;

/// <summary>
/// Where a provider's API key comes from: an environment variable locally, a Secrets Manager secret id on AWS.
/// Never the key itself.
/// </summary>
public sealed record SecretReference(string? EnvironmentVariable, string? SecretId)
{
    /// <summary>How the key source is named in messages and logs (never the value).</summary>
    public string Describe() => (EnvironmentVariable, SecretId) switch
    {
        ({ } env, { } id) => $"environment variable {env} or secret {id}",
        ({ } env, null) => $"environment variable {env}",
        (null, { } id) => $"secret {id}",
        _ => "no key source",
    };
}
