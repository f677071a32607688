using System.Globalization;
using System.Text;
using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Logging;
using SfAi.Hosting.Lambda;

namespace SfAi.Api.Logging;

/// <summary>
/// The <c>chat_completion</c> line, rendered straight to UTF-8 in the compact JSON form Serilog's formatter gives every
/// other line (<c>@t</c>, <c>@mt</c>, the properties in the same order, the Lambda invocation's ids last): one line per
/// request is the gateway's busiest log event, and building it as Serilog properties and formatting them as text cost
/// about a tenth of the pass-through's CPU per request (bench/run.sh). Lines read the same either way
/// (CompletionLogLineTests).
/// </summary>
internal static class CompletionLogLine
{
    /// <summary>The line; text that is not valid UTF-16 (a lone surrogate a client escaped) is written with U+FFFD in its place, as Serilog's line has it.</summary>
    public static byte[] Render(CompletionRecord record, DateTimeOffset time, ILambdaInvocationFeature? invocation)
    {
        try
        {
            return RenderAsIs(record, time, invocation);
        }
        catch (ArgumentException)
        {
            return RenderAsIs(WithValidText(record), time, invocation);
        }
    }

    /// <summary>Renders the line into the thread's buffer and hands it to each sink: no array is allocated for it.</summary>
    public static void WriteTo(IReadOnlyList<ILogLineSink> sinks, CompletionRecord record, DateTimeOffset time, ILambdaInvocationFeature? invocation)
    {
        try
        {
            JsonWriting.WriteLine((record, time, invocation), WriteFields, sinks, Hand);
        }
        catch (ArgumentException)
        {
            JsonWriting.WriteLine((WithValidText(record), time, invocation), WriteFields, sinks, Hand);
        }
    }

    private static void Hand(ReadOnlySpan<byte> line, IReadOnlyList<ILogLineSink> sinks)
    {
        foreach (var sink in sinks)
        {
            sink.WriteLine(line);
        }
    }

    private static CompletionRecord WithValidText(CompletionRecord r) => r with
    {
        LatestUserMessage = ValidText(r.LatestUserMessage),
        ContextTailPreview = ValidText(r.ContextTailPreview),
        UserAgent = ValidText(r.UserAgent),
        Origin = ValidText(r.Origin),
        UserId = ValidText(r.UserId),
        UserEmail = ValidText(r.UserEmail),
        Alias = ValidText(r.Alias)!,
        Endpoint = ValidText(r.Endpoint)!,
        Protocol = ValidText(r.Protocol),
        AnsweredBy = ValidText(r.AnsweredBy)!,
        KeyName = ValidText(r.KeyName)!,
        FinishReason = ValidText(r.FinishReason),
        DroppedParameters = r.DroppedParameters?.Select(p => ValidText(p)!).ToList(),
    };

    private static string? ValidText(string? text) => text is null ? null : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static byte[] RenderAsIs(CompletionRecord record, DateTimeOffset time, ILambdaInvocationFeature? invocation) =>
        JsonWriting.WriteLine((record, time, invocation), WriteFields);

    private static readonly Action<Utf8JsonWriter, (CompletionRecord, DateTimeOffset, ILambdaInvocationFeature?)> WriteFields = static (writer, state) =>
        {
            var (r, t, lambda) = state;
            writer.WriteStartObject();
            Span<byte> timestamp = stackalloc byte[40];
            t.UtcDateTime.TryFormat(timestamp, out var written, "O", CultureInfo.InvariantCulture);
            writer.WriteString("@t"u8, timestamp[..written]);
            writer.WriteString("@mt"u8, "chat_completion"u8);
            writer.WriteString("event"u8, "chat_completion"u8);
            writer.WriteString("requestId"u8, r.RequestId);
            writer.WriteString("alias"u8, r.Alias);
            writer.WriteString("answeredBy"u8, r.AnsweredBy);
            writer.WriteString("provider"u8, r.Provider);
            writer.WriteString("upstreamModel"u8, r.UpstreamModel);
            writer.WriteBoolean("stream"u8, r.Stream);
            writer.WriteNumber("status"u8, r.Status);
            writer.WriteNumber("latencyMs"u8, r.LatencyMs);
            NumberOrNull(writer, "ttftMs"u8, r.TtftMs);
            StringOrNull(writer, "finishReason"u8, r.FinishReason);
            StringOrNull(writer, "latestUserMessage"u8, r.LatestUserMessage);
            writer.WriteNumber("latestUserMessageLength"u8, r.LatestUserMessageLength);
            StringOrNull(writer, "contextTailPreview"u8, r.ContextTailPreview);
            writer.WriteNumber("tokensIn"u8, r.TokensIn);
            writer.WriteNumber("tokensOut"u8, r.TokensOut);
            writer.WriteNumber("cachedTokensIn"u8, r.CachedTokensIn);
            writer.WriteNumber("cacheWriteTokensIn"u8, r.CacheWriteTokensIn);
            if (r.CostUsd is { } cost)
            {
                writer.WriteNumber("costUsd"u8, cost);
            }
            else
            {
                writer.WriteNull("costUsd"u8);
            }
            writer.WriteBoolean("tokensEstimated"u8, r.TokensEstimated);
            StringOrNull(writer, "userAgent"u8, r.UserAgent);
            StringOrNull(writer, "origin"u8, r.Origin);
            writer.WriteString("keyName"u8, r.KeyName);
            if (r.UserId is not null)
            {
                writer.WriteString("userId"u8, r.UserId);
            }
            if (r.UserEmail is not null)
            {
                writer.WriteString("userEmail"u8, r.UserEmail);
            }
            if (r.DroppedParameters is { } dropped)
            {
                writer.WriteStartArray("droppedParameters"u8);
                foreach (var name in dropped)
                {
                    writer.WriteStringValue(name);
                }
                writer.WriteEndArray();
            }
            writer.WriteString("endpoint"u8, r.Endpoint);
            if (r.InputCount is { } inputs)
            {
                writer.WriteNumber("inputCount"u8, inputs);
            }
            if (r.Protocol is not null)
            {
                writer.WriteString("protocol"u8, r.Protocol);
            }
            if (lambda is not null)
            {
                writer.WriteString("lambdaRequestId"u8, lambda.RequestId);
                if (lambda.TraceId is { } traceId)
                {
                    writer.WriteString("traceId"u8, traceId);
                }
            }
            writer.WriteEndObject();
        };

    private static void StringOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void NumberOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
