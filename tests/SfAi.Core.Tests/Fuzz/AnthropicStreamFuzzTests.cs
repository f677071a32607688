using System.Text;
using System.Text.Json;
using CsCheck;
using SfAi.Core.Providers.Anthropic;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Arbitrary bytes and mutated captured event sequences through <see cref="AnthropicStreamTranslator"/>, as the provider
/// feeds it: each event is translated, or refused with one of the exceptions the provider reads as a malformed event
/// (then the stream ends with an error event); any other exception would escape it and break the client's stream.
/// Every event it emits is JSON or <c>[DONE]</c>. A failure prints CsCheck's seed.
/// </summary>
public sealed class AnthropicStreamFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n : 1500;

    /// <summary>What <c>AnthropicChatProvider.IsMalformed</c> turns into an error event.</summary>
    private static bool IsMalformedEvent(Exception ex) => ex is JsonException or KeyNotFoundException or InvalidOperationException;

    private sealed record Case(IReadOnlyList<byte[]> Events, bool ClientWantsUsage, bool JsonObjectMode);

    private static Gen<Case> Cases(Gen<IReadOnlyList<byte[]>> events) =>
        Gen.Select(events, Gen.Bool, Gen.Bool, (e, usage, jsonObject) => new Case(e, usage, jsonObject));

    private static void TranslatesOrRefuses(Case c)
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude-sonnet-4-5", c.ClientWantsUsage, c.JsonObjectMode, 1_700_000_000);
        var output = new List<byte[]>();
        foreach (var data in c.Events)
        {
            output.Clear();
            try
            {
                translator.Translate(data, output);
            }
            catch (Exception ex) when (IsMalformedEvent(ex))
            {
                return;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped for event:{Environment.NewLine}{FuzzInputs.Show(data)}{Environment.NewLine}{ex}");
            }
            foreach (var chunk in output)
            {
                EmittedIsJsonOrDone(chunk);
            }
            if (translator.Finished)
            {
                return;
            }
        }
    }

    private static void EmittedIsJsonOrDone(byte[] chunk)
    {
        if (chunk.AsSpan().SequenceEqual(AnthropicStreamTranslator.Done))
        {
            return;
        }
        try
        {
            using var _ = JsonDocument.Parse(chunk);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"emitted an event that is not JSON: {FuzzInputs.Show(chunk)}{Environment.NewLine}{ex.Message}");
        }
    }

    private static string Show(Case c) => $"usage {c.ClientWantsUsage}, json_object {c.JsonObjectMode}{Environment.NewLine}{StreamFuzzInputs.Show(c.Events)}";

    [Fact]
    public void Arbitrary_bytes_are_translated_or_refused_as_malformed() =>
        Cases(FuzzInputs.ArbitraryBytes.Array[1, 4].Select(e => (IReadOnlyList<byte[]>)e))
            .Sample(TranslatesOrRefuses, iter: Iterations, print: Show);

    [Fact]
    public void Mutated_captured_streams_are_translated_or_refused_as_malformed() =>
        Cases(StreamFuzzInputs.MutatedAnthropicStreams).Sample(TranslatesOrRefuses, iter: Iterations, print: Show);

    /// <summary>
    /// What the fuzzing found: a block index that is no <see cref="int"/> threw <see cref="FormatException"/>, which the
    /// provider let escape mid-stream. It is a malformed event now.
    /// </summary>
    [Theory]
    [InlineData("""{"type":"content_block_delta","index":99999999999,"delta":{"type":"text_delta","text":"12"}}""")]
    [InlineData("""{"type":"content_block_start","index":1.5,"content_block":{"type":"text","text":""}}""")]
    [InlineData("""{"type":"content_block_stop","index":2147483648}""")]
    [InlineData("""{"type":"content_block_stop","index":-1e400}""")]
    [InlineData("""{"type":"content_block_stop","index":"0"}""")]
    public void A_block_index_that_is_no_int_makes_the_event_malformed(string data)
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude-sonnet-4-5", false, false, 1_700_000_000);

        var ex = Assert.Throws<JsonException>(() => translator.Translate(Encoding.UTF8.GetBytes(data), []));
        Assert.Contains("index", ex.Message, StringComparison.Ordinal);
    }
}
