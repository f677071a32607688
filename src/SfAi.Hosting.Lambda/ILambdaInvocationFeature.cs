namespace SfAi.Hosting.Lambda;

/// <summary>The Lambda invocation a request came from: its ids, and when Lambda will end it.</summary>
public interface ILambdaInvocationFeature
{
    /// <summary>The invocation's request id (<c>Lambda-Runtime-Aws-Request-Id</c>), also the request's <c>TraceIdentifier</c>.</summary>
    string RequestId { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), also in <c>_X_AMZN_TRACE_ID</c> while the request runs.</summary>
    string? TraceId { get; }

    /// <summary>The ARN the function was invoked with (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</summary>
    string? FunctionArn { get; }

    /// <summary>When the invocation must have answered; <c>HttpContext.RequestAborted</c> fires then.</summary>
    DateTimeOffset Deadline { get; }
}
