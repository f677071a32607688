using SfAi.Api;
using SfAi.Api.Access;

if (KeysCommand.Handles(args))
{
    return KeysCommand.Run(args, Console.Out, Console.Error);
}

var app = GatewayApplication.Create(args);
await app.RunAsync();
return 0;
