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
    private readonly bool _chosen;

    private UserTextPolicy(Mode mode, int limit, bool chosen = true)
    {
        _mode = mode;
        _limit = limit;
        _chosen = chosen;
    }

    /// <summary>The default when <c>LOG_USER_TEXT</c> is not set: whole texts, but no embedding inputs (<see cref="ApplyWhenChosen"/>).</summary>
    public static UserTextPolicy Full { get; } = new(Mode.Full, 0, chosen: false);

    /// <exception cref="FormatException">The setting is none of the accepted forms.</exception>
    public static UserTextPolicy Parse(string? setting)
    {
        var value = setting?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return Full;
        }
        if (value.Equals("full", StringComparison.OrdinalIgnoreCase))
        {
            return new UserTextPolicy(Mode.Full, 0);
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
    /// Texts the logs keep only when <c>LOG_USER_TEXT</c> is set (embedding inputs, often whole files): as <see cref="Apply"/>
    /// under the setting, none when it is not set.
    /// </summary>
    public string? ApplyWhenChosen(string? text) => _chosen ? Apply(text) : null;

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
