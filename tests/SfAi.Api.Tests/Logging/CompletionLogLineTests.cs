using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using SfAi.Api.Logging;
using SfAi.Api.Tests.Support;
using SfAi.Core.Logging;

namespace SfAi.Api.Tests.Logging;

/// <summary>
/// The <c>chat_completion</c> line the gateway renders itself reads exactly as Serilog's compact JSON formatter writes
/// the same event (text logs still go that way): same fields, same order, same values.
/// </summary>
public sealed class CompletionLogLineTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 5, 21, 11, 14, 123, TimeSpan.Zero).AddTicks(4567));

    private static readonly CompletionRecord Full = new()
    {
        RequestId = "req-1",
        Alias = "frontend",
        AnsweredBy = "frontend-fallback",
        Provider = "openai",
        UpstreamModel = "gpt-4o-mini",
        Stream = true,
        Status = 200,
        LatencyMs = 12.3456789,
        TtftMs = 0.1,
        FinishReason = "stop",
        LatestUserMessage = "日本語の \"質問\" \\ with a tab\t, a newline\n, a bell\u0007, <html> & 'quotes', an emoji 🎉 and U+2028\u2028.",
        LatestUserMessageLength = 90,
        ContextTailPreview = "system: be careful\nuser: …",
        TokensIn = 1234,
        TokensOut = 56,
        CachedTokensIn = 1024,
        CostUsd = 0.0001500m,
        TokensEstimated = false,
        DroppedParameters = ["logit_bias", "seed"],
        UserAgent = "OpenAI/.NET 2.15.0",
        Origin = "https://app.example.com",
        KeyName = "team-a",
        UserId = "8c1f…",
        UserEmail = "a@example.com",
        Endpoint = "embeddings",
        InputCount = 3,
        Protocol = "openai-responses",
    };

    private static readonly CompletionRecord Sparse = Full with
    {
        TtftMs = null, FinishReason = null, LatestUserMessage = null, ContextTailPreview = null, CostUsd = null,
        DroppedParameters = null, UserAgent = null, Origin = null, UserId = null, UserEmail = null, Stream = false,
        TokensEstimated = true, LatencyMs = 3, InputCount = null, Protocol = null, Endpoint = "chat",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_as_serilogs_compact_json_line(bool full)
    {
        var record = full ? Full : Sparse;

        var rendered = Assert.Single(Rendered(record).Events("chat_completion"));
        var serilog = Assert.Single(ThroughSerilog(record).Events("chat_completion"));

        Assert.Equal(Fields(serilog), Fields(rendered));
    }

    [Fact]
    public void Text_that_is_not_valid_utf16_gets_its_line_with_the_replacement_character_as_serilog_writes_it()
    {
        var record = Full with { LatestUserMessage = "a lone surrogate \ud800 here" };

        var rendered = Assert.Single(Rendered(record).Events("chat_completion"));

        Assert.Equal("a lone surrogate \uFFFD here", rendered.GetProperty("latestUserMessage").GetString());
        Assert.Equal(Fields(Assert.Single(Rendered(Full).Events("chat_completion"))).Where(f => f.Name != "latestUserMessage"),
            Fields(rendered).Where(f => f.Name != "latestUserMessage"));
    }

    [Fact]
    public void Writes_nothing_below_the_configured_level()
    {
        var capture = new LogCapture();
        var log = new GatewayEventLog(new LoggerConfiguration().MinimumLevel.Warning().CreateLogger(), [capture], Time);

        log.Completion(Full);

        Assert.Empty(capture.Lines);
    }

    /// <summary>Each field's name and value, in order; strings decoded (the two writers may escape differently), other values as written.</summary>
    private static List<(string Name, string Value)> Fields(JsonElement line) =>
        [.. line.EnumerateObject().Select(p =>
            (p.Name, p.Value.ValueKind == JsonValueKind.String ? "\"" + p.Value.GetString() : p.Value.GetRawText()))];

    private static LogCapture Rendered(CompletionRecord record)
    {
        var capture = new LogCapture();
        new GatewayEventLog(new LoggerConfiguration().CreateLogger(), [capture], Time).Completion(record);
        return capture;
    }

    private static LogCapture ThroughSerilog(CompletionRecord record)
    {
        var capture = new LogCapture();
        new GatewayEventLog(new LoggerConfiguration().WriteTo.Sink(capture).CreateLogger(), [], Time).Completion(record);
        return capture;
    }
}
