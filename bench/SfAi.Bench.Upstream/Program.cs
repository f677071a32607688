using SfAi.Bench.Upstream;

// A fast fake of the OpenAI and Anthropic chat endpoints for the benchmarks: fixed answers shaped like the captured
// fixtures, no JSON serialization, and streams paced as the requested model name says (see UpstreamRequest).
// With --forward-to <url> it is instead the bare forwarder (see BareForwarder): the floor the suite compares with.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
if (app.Configuration["forward-to"] is { } upstream)
{
    var forwarder = new BareForwarder(new Uri(upstream));
    app.Lifetime.ApplicationStopped.Register(forwarder.Dispose);
    app.MapPost("/v1/chat/completions", forwarder.HandleAsync);
    app.MapPost("/v1/messages", forwarder.HandleAsync);
}
else
{
    app.MapPost("/v1/chat/completions", OpenAIFake.HandleAsync);
    app.MapPost("/v1/messages", AnthropicFake.HandleAsync);
}
app.MapGet("/health", () => "ok");
app.Run();
