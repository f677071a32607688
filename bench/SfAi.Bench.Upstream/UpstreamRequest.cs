using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace SfAi.Bench.Upstream;

/// <summary>
/// What the fake needs from a request body: <c>model</c>, <c>stream</c> and <c>stream_options.include_usage</c>.
/// A model named <c>paced-{gapMs}-{chunks}</c> streams that many content chunks that far apart; any other model
/// streams eight chunks at once.
/// </summary>
internal sealed record UpstreamRequest(bool Stream, bool IncludeUsage, int GapMilliseconds, int Chunks)
{
    private const int DefaultChunks = 8;

    public static async Task<UpstreamRequest> ReadAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var request = Parse(result.Buffer);
                body.AdvanceTo(result.Buffer.End);
                return request;
            }
            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static UpstreamRequest Parse(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? model = null;
        bool stream = false, includeUsage = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = reader.GetString();
            }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.CurrentDepth == 2 && reader.ValueTextEquals("include_usage"u8))
            {
                reader.Read();
                includeUsage = reader.TokenType == JsonTokenType.True;
            }
        }
        var (gap, chunks) = Pacing(model);
        return new UpstreamRequest(stream, includeUsage, gap, chunks);
    }

    private static (int Gap, int Chunks) Pacing(string? model)
    {
        var parts = model?.Split('-') ?? [];
        return parts is ["paced", var gap, var chunks] && int.TryParse(gap, out var g) && int.TryParse(chunks, out var c)
            ? (g, c)
            : (0, DefaultChunks);
    }
}
