using CsCheck;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Arbitrary bytes and mutated captured chunks (also read as whole completions) through
/// <see cref="OpenAIResponseInspector"/>: it only reads what it can and never throws, since the pass-through forwards
/// the bytes whatever it makes of them. A failure prints CsCheck's seed.
/// </summary>
public sealed class OpenAIResponseInspectorFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n : 1500;

    /// <summary>The captured chunks, and each as a completion (<c>delta</c> read as <c>message</c>).</summary>
    private static readonly string[] Seeds =
        [.. StreamFuzzInputs.OpenAIChunks, .. StreamFuzzInputs.OpenAIChunks.Select(c => c.Replace("\"delta\"", "\"message\"", StringComparison.Ordinal))];

    private static void InspectsWithoutThrowing(byte[] data)
    {
        var inspector = new OpenAIResponseInspector();
        try
        {
            inspector.InspectChunk(data);
            inspector.InspectCompletion(data);
            _ = inspector.CompletionText;
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped for:{Environment.NewLine}{FuzzInputs.Show(data)}{Environment.NewLine}{ex}");
        }
    }

    [Fact]
    public void Arbitrary_bytes_are_inspected_without_an_exception() =>
        FuzzInputs.ArbitraryBytes.Sample(InspectsWithoutThrowing, iter: Iterations, print: FuzzInputs.Show);

    [Fact]
    public void Mutated_captured_chunks_are_inspected_without_an_exception() =>
        Gen.Frequency((1, FuzzInputs.MutatedBytes([.. Seeds.Select(System.Text.Encoding.UTF8.GetBytes)])), (2, FuzzInputs.MutatedTrees(Seeds)))
            .Sample(InspectsWithoutThrowing, iter: Iterations, print: FuzzInputs.Show);
}
