using SfAi.Hosting.Lambda;

namespace SfAi.Api.Pipeline;

/// <summary>When the host must have answered a request: the AWS Lambda invocation's deadline; none on Kestrel.</summary>
internal static class RequestDeadline
{
    public static DateTimeOffset? Of(HttpContext context) => context.Features.Find<ILambdaInvocationFeature>()?.Deadline;
}
