using SfAi.Api;
using SfAi.Api.Access;
using SfAi.Api.Usage;
using SfAi.Core.Configuration;
using SfAi.Hosting.Lambda;

if (KeysCommand.Handles(args))
{
    return KeysCommand.Run(args, Console.Out, Console.Error);
}
if (UsageCommand.Handles(args))
{
    return await UsageCommand.RunAsync(args, Console.Out, Console.Error, DateTimeOffset.UtcNow);
}

try
{
    // Disposed before the catch runs, so log lines still queued (a start-up failure's among them) are written.
    await using var app = GatewayApplication.Create(args);
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    await LambdaHostingExtensions.ReportInitErrorAsync(ex);
    // A configuration that breaks its rules is the operator's to fix: its problems, listed by JSON path, are the whole
    // story. Anything else is the gateway's fault and keeps its stack trace. Either way the process ends with 1, not an abort.
    var problem = ex is ConfigValidationException or ConfigLoadException ? ex.Message : ex.ToString();
    await Console.Error.WriteLineAsync($"The gateway could not start: {problem}");
    return 1;
}
