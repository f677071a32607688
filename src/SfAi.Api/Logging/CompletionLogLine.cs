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
            writer.WriteString(Names.Timestamp, timestamp[..written]);
            writer.WriteString(Names.MessageTemplate, Names.ChatCompletion);
            writer.WriteString(Names.Event, Names.ChatCompletion);
            writer.WriteString(Names.RequestId, r.RequestId);
            writer.WriteString(Names.Alias, r.Alias);
            writer.WriteString(Names.AnsweredBy, r.AnsweredBy);
            writer.WriteString(Names.Provider, r.Provider);
            writer.WriteString(Names.UpstreamModel, r.UpstreamModel);
            writer.WriteBoolean(Names.Stream, r.Stream);
            writer.WriteNumber(Names.Status, r.Status);
            writer.WriteNumber(Names.LatencyMs, r.LatencyMs);
            NumberOrNull(writer, Names.TtftMs, r.TtftMs);
            StringOrNull(writer, Names.FinishReason, r.FinishReason);
            StringOrNull(writer, Names.LatestUserMessage, r.LatestUserMessage);
            writer.WriteNumber(Names.LatestUserMessageLength, r.LatestUserMessageLength);
            StringOrNull(writer, Names.ContextTailPreview, r.ContextTailPreview);
            writer.WriteNumber(Names.TokensIn, r.TokensIn);
            writer.WriteNumber(Names.TokensOut, r.TokensOut);
            writer.WriteNumber(Names.CachedTokensIn, r.CachedTokensIn);
            writer.WriteNumber(Names.CacheWriteTokensIn, r.CacheWriteTokensIn);
            if (r.CostUsd is { } cost)
            {
                writer.WriteNumber(Names.CostUsd, cost);
            }
            else
            {
                writer.WriteNull(Names.CostUsd);
            }
            writer.WriteBoolean(Names.TokensEstimated, r.TokensEstimated);
            StringOrNull(writer, Names.UserAgent, r.UserAgent);
            StringOrNull(writer, Names.Origin, r.Origin);
            writer.WriteString(Names.KeyName, r.KeyName);
            if (r.UserId is not null)
            {
                writer.WriteString(Names.UserId, r.UserId);
            }
            if (r.UserEmail is not null)
            {
                writer.WriteString(Names.UserEmail, r.UserEmail);
            }
            if (r.DroppedParameters is { } dropped)
            {
                writer.WriteStartArray(Names.DroppedParameters);
                foreach (var name in dropped)
                {
                    writer.WriteStringValue(name);
                }
                writer.WriteEndArray();
            }
            writer.WriteString(Names.Endpoint, r.Endpoint);
            if (r.InputCount is { } inputs)
            {
                writer.WriteNumber(Names.InputCount, inputs);
            }
            if (r.Protocol is not null)
            {
                writer.WriteString(Names.Protocol, r.Protocol);
            }
            if (lambda is not null)
            {
                writer.WriteString(Names.LambdaRequestId, lambda.RequestId);
                if (lambda.TraceId is { } traceId)
                {
                    writer.WriteString(Names.TraceId, traceId);
                }
            }
            writer.WriteEndObject();
        };

    private static void StringOrNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
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

    private static void NumberOrNull(Utf8JsonWriter writer, JsonEncodedText name, double? value)
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

    /// <summary>The line's property names (and its one constant value), checked for escaping once, not on every line.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText MessageTemplate = JsonEncodedText.Encode("@mt"u8);
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@t"u8);
        public static readonly JsonEncodedText Alias = JsonEncodedText.Encode("alias"u8);
        public static readonly JsonEncodedText AnsweredBy = JsonEncodedText.Encode("answeredBy"u8);
        public static readonly JsonEncodedText CacheWriteTokensIn = JsonEncodedText.Encode("cacheWriteTokensIn"u8);
        public static readonly JsonEncodedText CachedTokensIn = JsonEncodedText.Encode("cachedTokensIn"u8);
        public static readonly JsonEncodedText ChatCompletion = JsonEncodedText.Encode("chat_completion"u8);
        public static readonly JsonEncodedText ContextTailPreview = JsonEncodedText.Encode("contextTailPreview"u8);
        public static readonly JsonEncodedText CostUsd = JsonEncodedText.Encode("costUsd"u8);
        public static readonly JsonEncodedText DroppedParameters = JsonEncodedText.Encode("droppedParameters"u8);
        public static readonly JsonEncodedText Endpoint = JsonEncodedText.Encode("endpoint"u8);
        public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event"u8);
        public static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finishReason"u8);
        public static readonly JsonEncodedText InputCount = JsonEncodedText.Encode("inputCount"u8);
        public static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("keyName"u8);
        public static readonly JsonEncodedText LambdaRequestId = JsonEncodedText.Encode("lambdaRequestId"u8);
        public static readonly JsonEncodedText LatencyMs = JsonEncodedText.Encode("latencyMs"u8);
        public static readonly JsonEncodedText LatestUserMessage = JsonEncodedText.Encode("latestUserMessage"u8);
        public static readonly JsonEncodedText LatestUserMessageLength = JsonEncodedText.Encode("latestUserMessageLength"u8);
        public static readonly JsonEncodedText Origin = JsonEncodedText.Encode("origin"u8);
        public static readonly JsonEncodedText Protocol = JsonEncodedText.Encode("protocol"u8);
        public static readonly JsonEncodedText Provider = JsonEncodedText.Encode("provider"u8);
        public static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId"u8);
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status"u8);
        public static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream"u8);
        public static readonly JsonEncodedText TokensEstimated = JsonEncodedText.Encode("tokensEstimated"u8);
        public static readonly JsonEncodedText TokensIn = JsonEncodedText.Encode("tokensIn"u8);
        public static readonly JsonEncodedText TokensOut = JsonEncodedText.Encode("tokensOut"u8);
        public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId"u8);
        public static readonly JsonEncodedText TtftMs = JsonEncodedText.Encode("ttftMs"u8);
        public static readonly JsonEncodedText UpstreamModel = JsonEncodedText.Encode("upstreamModel"u8);
        public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent"u8);
        public static readonly JsonEncodedText UserEmail = JsonEncodedText.Encode("userEmail"u8);
        public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("userId"u8);
    }
}
