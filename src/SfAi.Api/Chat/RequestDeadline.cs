namespace SfAi.Api.Chat;

/// <summary>
/// When the host must have answered a request: the AWS Lambda invocation's deadline, which the Lambda host puts on
/// the request as a <see cref="IRequestDeadlineFeature"/>; none on Kestrel.
/// </summary>
internal static class RequestDeadline
{
    public static DateTimeOffset? Of(HttpContext context) => context.Features.Get<IRequestDeadlineFeature>()?.Deadline;
}

/// <summary>A request that must be answered by a point in time.</summary>
public interface IRequestDeadlineFeature
{
    DateTimeOffset Deadline { get; }
}
