using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3.Assets;
using Amazon.CDK.AWS.S3.Deployment;
using Constructs;

namespace SfAi.Deploy.Storage;

/// <summary>
/// With <c>uploadConfig=true</c>, the deploy copies the repository's <c>config/model_map.json</c> and
/// <c>config/api_keys.json</c> to the config bucket (CDK <c>BucketDeployment</c>): when either file changes, the next
/// deploy uploads both; objects are never deleted, and stay when the stack goes. The copier runs with a role of its
/// own holding exact permissions, instead of the CDK's grants (<c>s3:GetObject*</c>, <c>s3:List*</c>, … on whole
/// buckets): read of this one asset, write of the two keys, listing of the bucket (<c>aws s3 sync</c> compares), its
/// log group.
/// </summary>
internal sealed class ConfigUpload : Construct
{
    private static readonly string[] FileNames = ["model_map.json", "api_keys.json"];

    public ConfigUpload(Construct scope, ConfigBucket config, string configPath)
        : base(scope, "ConfigUpload")
    {
        foreach (var name in FileNames)
        {
            if (!File.Exists(Path.Combine(configPath, name)))
            {
                throw new ArgumentException($"configPath '{Path.GetFullPath(configPath)}' has no {name} to upload.");
            }
        }
        var files = new Asset(this, "Files", new AssetProps
        {
            Path = configPath,
            Exclude = ["*", .. FileNames.Select(name => "!" + name)],
        });
        var logs = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = RetentionDays.TWO_WEEKS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "Copies the SfAi gateway's configuration files to its config bucket on deploy",
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadConfigAsset",
            Actions = ["s3:GetObject"],
            Resources = [files.Bucket.ArnForObjects(files.S3ObjectKey)],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteGatewayConfig",
            Actions = ["s3:PutObject"],
            Resources = [config.Bucket.ArnForObjects(ConfigBucket.ModelMapKey), config.Bucket.ArnForObjects(ConfigBucket.ApiKeysKey)],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CompareGatewayConfig",
            Actions = ["s3:ListBucket"],
            Resources = [config.Bucket.BucketArn],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteCopierLogs",
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [logs.LogGroupArn],
        }));

        var deployment = new BucketDeployment(this, "Default", new BucketDeploymentProps
        {
            Sources = [Source.Bucket(files.Bucket, files.S3ObjectKey)],
            DestinationBucket = config.Bucket,
            DestinationKeyPrefix = "config/",
            Prune = false,
            RetainOnDelete = true,
            // The CDK's grants go to this immutable view and are dropped; the statements above are the role's only ones.
            Role = role.WithoutPolicyUpdates(),
            LogGroup = logs,
        });
        deployment.Node.AddDependency(role);
    }
}
