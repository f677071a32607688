using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SfAi.Core.Logging;

/// <summary>
/// How much of the user's text the logs keep (<c>LOG_USER_TEXT</c>): <c>full</c> (the seed's behaviour),
/// <c>truncate:N</c> (the first N characters), <c>hash</c> (SHA-256, to correlate without reading) or <c>off</c>.
/// </summary>
public sealed class UserTextPolicy
{
    private readonly Mode _mode;
    private readonly int _limit;

    private UserTextPolicy(Mode mode, int limit)
    {
        _mode = mode;
        _limit = limit;
    }

    public static UserTextPolicy Full { get; } = new(Mode.Full, 0);

    /// <exception cref="FormatException">The setting is none of the accepted forms.</exception>
    public static UserTextPolicy Parse(string? setting)
    {
        var value = setting?.Trim() ?? string.Empty;
        if (value.Length == 0 || value.Equals("full", StringComparison.OrdinalIgnoreCase))
        {
            return Full;
        }
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return new UserTextPolicy(Mode.Off, 0);
        }
        if (value.Equals("hash", StringComparison.OrdinalIgnoreCase))
        {
            return new UserTextPolicy(Mode.Hash, 0);
        }
        const string truncate = "truncate:";
        if (value.StartsWith(truncate, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value.AsSpan(truncate.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            return new UserTextPolicy(Mode.Truncate, limit);
        }
        throw new FormatException($"LOG_USER_TEXT '{setting}' is not one of: full, truncate:N, hash, off.");
    }

    /// <summary>The text as the log may show it; <c>null</c> when the policy keeps none.</summary>
    public string? Apply(string? text) => text is null ? null : _mode switch
    {
        Mode.Full => text,
        Mode.Truncate => text.Length <= _limit ? text : text[..(_limit > 0 && char.IsHighSurrogate(text[_limit - 1]) ? _limit - 1 : _limit)],
        Mode.Hash => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
        _ => null,
    };

    /// <summary>
    /// An identifying text (a user's email) as the log may show it: whole under <c>full</c> and <c>truncate:N</c>
    /// (a cut email identifies no one better), hashed under <c>hash</c>, left out under <c>off</c>.
    /// </summary>
    public string? ApplyToIdentity(string? text) => _mode is Mode.Full or Mode.Truncate ? text : Apply(text);

    private enum Mode
    {
        Full,
        Truncate,
        Hash,
        Off,
    }
}
