using SfAi.Core.Usage.Ledger;

namespace SfAi.Core.Tests.Usage;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0.2, 0)]
    [InlineData(1, 0)]
    [InlineData(1.1, 1)]
    [InlineData(1.11, 2)]
    [InlineData(100, 49)]
    [InlineData(1e9, LatencyHistogram.MaxBucket)]
    public void Puts_a_latency_in_the_bucket_whose_upper_bound_holds_it(double milliseconds, int bucket)
    {
        Assert.Equal(bucket, LatencyHistogram.BucketOf(milliseconds));
        if (bucket < LatencyHistogram.MaxBucket)
        {
            Assert.True(LatencyHistogram.UpperBound(bucket) >= Math.Round(milliseconds, 1));
        }
    }

    [Fact]
    public void Gives_percentiles_within_ten_percent_of_the_exact_nearest_rank()
    {
        var random = new Random(7);
        var latencies = Enumerable.Range(0, 2_000).Select(_ => 5 + (random.NextDouble() * random.NextDouble() * 3_000)).ToList();
        var histogram = new LatencyHistogram();
        latencies.ForEach(histogram.Add);
        latencies.Sort();

        foreach (var percentile in new[] { 50, 95, 99 })
        {
            var exact = latencies[(int)Math.Ceiling(percentile / 100.0 * latencies.Count) - 1];
            Assert.InRange(histogram.Percentile(percentile), exact, exact * 1.1 + 0.1);
        }
    }

    [Fact]
    public void Takes_back_what_was_counted_and_never_goes_below_none()
    {
        var histogram = new LatencyHistogram();
        histogram.Add(10);
        histogram.Add(10);
        histogram.Add(500);

        histogram.Remove(LatencyHistogram.BucketOf(10), 5);

        Assert.Equal(1, histogram.Total);
        Assert.Equal(LatencyHistogram.UpperBound(LatencyHistogram.BucketOf(500)), histogram.Percentile(50));
        Assert.Equal(0, new LatencyHistogram().Percentile(95));
    }
}
