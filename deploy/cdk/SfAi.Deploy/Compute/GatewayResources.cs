using SfAi.Deploy.Secrets;
using SfAi.Deploy.Storage;

namespace SfAi.Deploy.Compute;

/// <summary>What the gateway's functions use at run time; their role and environment are made from it.</summary>
internal sealed record GatewayResources(
    ConfigBucket Config,
    IReadOnlyList<ProviderKeySecret> ProviderKeys,
    RateLimitTable RateLimits,
    UsageTable Usage,
    ChatLambdaLogGroup Logs);
