namespace SfAi.Bench.Micro;

/// <summary>Checks, in the global setups, that a benchmark measures what its name says (a wrong input fails the run).</summary>
internal static class Check
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark input check failed: {what}.");
        }
    }

    public static void Equal(byte[] expected, byte[] actual, string what) => That(expected.AsSpan().SequenceEqual(actual), what);
}
