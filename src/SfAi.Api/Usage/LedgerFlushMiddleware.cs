using SfAi.Api.Pipeline;
using SfAi.Core.Usage.Ledger;
using SfAi.Hosting.Lambda;

namespace SfAi.Api.Usage;

/// <summary>
/// In AWS Lambda, writes the request's usage row before the invocation's response completes: once it has, Lambda may
/// freeze the instance, and a row still queued would wait for the next invocation, or be lost with the instance.
/// On Kestrel rows are written in the background and on shutdown.
/// </summary>
internal sealed class LedgerFlushMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IUsageLedger _ledger;

    public LedgerFlushMiddleware(RequestDelegate next, IUsageLedger ledger)
    {
        _next = next;
        _ledger = ledger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        finally
        {
            if (context.Features.Find<ILambdaInvocationFeature>() is not null)
            {
                await _ledger.FlushAsync(CancellationToken.None);
            }
        }
    }
}
