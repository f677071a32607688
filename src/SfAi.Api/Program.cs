using SfAi.Api;

var app = GatewayApplication.Create(args);
await app.RunAsync();
