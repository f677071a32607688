using System.Text;
using System.Text.Json;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>A streamed Function URL response as posted: the prelude JSON, exactly 8 NUL bytes, then the body.</summary>
public sealed record StreamedResponse(JsonElement Prelude, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Splits what was posted, checking that the prelude is one JSON object followed by exactly 8 NUL bytes.</summary>
    public static StreamedResponse Parse(byte[] posted)
    {
        var reader = new Utf8JsonReader(posted, new JsonReaderOptions { AllowMultipleValues = true });
        using var prelude = JsonDocument.ParseValue(ref reader);
        var end = (int)reader.BytesConsumed;
        Assert.True(posted.Length >= end + 8, "the prelude is not followed by 8 bytes");
        Assert.All(posted[end..(end + 8)], b => Assert.Equal(0, b));
        var body = posted[(end + 8)..];
        Assert.True(body.Length == 0 || body[0] != 0, "more than 8 NUL bytes follow the prelude");
        return new StreamedResponse(prelude.RootElement.Clone(), body);
    }
}
