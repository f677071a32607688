namespace SfAi.Hosting.Lambda;

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
