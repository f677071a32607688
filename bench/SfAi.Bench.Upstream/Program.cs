using SfAi.Bench.Upstream;

// A fast fake of the OpenAI and Anthropic chat endpoints for the benchmarks: fixed answers shaped like the captured
// fixtures, no JSON serialization, and streams paced as the requested model name says (see UpstreamRequest).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/v1/chat/completions", OpenAIFake.HandleAsync);
app.MapPost("/v1/messages", AnthropicFake.HandleAsync);
app.MapGet("/health", () => "ok");
app.Run();
