namespace SfAi.Hosting.Lambda.RuntimeApi;

/// <summary>One event handed out by <c>/runtime/invocation/next</c>.</summary>
internal sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? TraceId, string? FunctionArn, byte[] Payload)
    : ILambdaInvocationFeature;
