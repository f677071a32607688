using SfAi.Api;
using SfAi.Api.Access;
using SfAi.Hosting.Lambda;

if (KeysCommand.Handles(args))
{
    return KeysCommand.Run(args, Console.Out, Console.Error);
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
    throw;
}
