using Serilog.Core;
using Serilog.Events;
using SfAi.Hosting.Lambda;

namespace SfAi.Api.Logging;

/// <summary>In AWS Lambda, puts the invocation's request id and X-Ray trace id on every log line.</summary>
internal sealed class LambdaInvocationEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (LambdaInvocation.Current is not { } invocation)
        {
            return;
        }
        logEvent.AddPropertyIfAbsent(new LogEventProperty("lambdaRequestId", new ScalarValue(invocation.RequestId)));
        if (invocation.TraceId is { } traceId)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("traceId", new ScalarValue(traceId)));
        }
    }
}
