namespace SfAi.Hosting.Lambda;

/// <summary>The Lambda invocation a request came from: its ids, and when Lambda will end it.</summary>
public interface ILambdaInvocationFeature
{
    string RequestId { get; }

    string? TraceId { get; }

    string? FunctionArn { get; }

    /// <summary>When the invocation must have answered; <c>HttpContext.RequestAborted</c> fires then.</summary>
    DateTimeOffset Deadline { get; }
}

/// <summary>The invocation being handled on this asynchronous flow, for log enrichment; <c>null</c> outside Lambda.</summary>
public static class LambdaInvocation
{
    private static readonly AsyncLocal<ILambdaInvocationFeature?> CurrentInvocation = new();

    public static ILambdaInvocationFeature? Current
    {
        get => CurrentInvocation.Value;
        internal set => CurrentInvocation.Value = value;
    }
}
