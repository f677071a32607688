using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace SfAi.Deploy.Secrets;

/// <summary>
/// A provider's API key in Secrets Manager, named <c>/sfai/&lt;env&gt;/&lt;NAME&gt;</c> as the model map's
/// <c>secretId</c> names it. Created empty — no value in the template, none generated — and kept when the stack is
/// deleted; the operator puts the value afterwards. Until then the provider answers 503 naming the secret.
/// </summary>
internal sealed class ProviderKeySecret : Construct
{
    public ProviderKeySecret(Construct scope, string id, string environmentName, string keyName)
        : base(scope, id)
    {
        SecretName = $"/sfai/{environmentName}/{keyName}";
        Secret = new Secret(this, "Default", new SecretProps
        {
            SecretName = SecretName,
            Description = $"{keyName} for the SfAi gateway ({environmentName}). Put its value with: aws secretsmanager put-secret-value --secret-id {SecretName} --secret-string <key>",
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // The CDK generates a random value when none is given; a secret with neither property is created empty.
        ((CfnSecret)Secret.Node.DefaultChild!).AddPropertyDeletionOverride("GenerateSecretString");
    }

    public string SecretName { get; }

    public Secret Secret { get; }
}
