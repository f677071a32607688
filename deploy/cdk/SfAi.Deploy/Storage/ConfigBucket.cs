using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace SfAi.Deploy.Storage;

/// <summary>
/// The bucket of the gateway's configuration (the seed's <c>ConfigBucket</c>): <c>config/model_map.json</c> and
/// <c>config/api_keys.json</c>. Private, encrypted, TLS only, versioned so a bad upload can be rolled back, and kept
/// when the stack is deleted.
/// </summary>
internal sealed class ConfigBucket : Construct
{
    public const string ModelMapKey = "config/model_map.json";
    public const string ApiKeysKey = "config/api_keys.json";

    public ConfigBucket(Construct scope)
        : base(scope, "ConfigBucket")
    {
        // "Default" keeps the seed's logical ID (ConfigBucket2112C5EC), so a stack deployed by the seed keeps its bucket.
        Bucket = new Bucket(this, "Default", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            Versioned = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Bucket Bucket { get; }

    public string S3Uri(string key) => $"s3://{Bucket.BucketName}/{key}";

    /// <summary>
    /// Read of exactly the two configuration objects. <c>s3:ListBucket</c> on the bucket (not its objects) is granted
    /// too, so that a file not uploaded yet reads as 404 <c>NoSuchKey</c> — "does not exist" in the gateway's start
    /// error — rather than a 403 that sends the operator looking for a permission problem.
    /// </summary>
    public void GrantConfigRead(IRole role)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadGatewayConfig",
            Actions = ["s3:GetObject"],
            Resources = [Bucket.ArnForObjects(ModelMapKey), Bucket.ArnForObjects(ApiKeysKey)],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "TellMissingConfigFromForbidden",
            Actions = ["s3:ListBucket"],
            Resources = [Bucket.BucketArn],
        }));
    }
}
