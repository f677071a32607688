namespace SfAi.Core.RateLimiting;

/// <summary>One fixed window (a minute, for per-minute limits): its start and its length.</summary>
public readonly record struct RateWindow(DateTimeOffset Start, TimeSpan Length)
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public DateTimeOffset End => Start + Length;

    /// <summary>The window that contains <paramref name="now"/>.</summary>
    public static RateWindow Containing(DateTimeOffset now, TimeSpan length) =>
        new(new DateTimeOffset(now.UtcTicks - (now.UtcTicks % length.Ticks), TimeSpan.Zero), length);

    /// <summary>A stable key for this window, to suffix counter names with.</summary>
    public long Key => Start.ToUnixTimeSeconds();
}
