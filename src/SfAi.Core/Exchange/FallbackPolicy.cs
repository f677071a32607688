using SfAi.Core.Access;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Exchange;

/// <summary>When a failed call moves on to the requested alias's next fallback, and which one.</summary>
public static class FallbackPolicy
{
    /// <summary>Failures another provider might not have: overload, outage, timeout, a missing key. Not the client's own mistakes.</summary>
    public static bool IsWorthAFallback(GatewayError error) => error.Status is 429 or >= 500;

    /// <summary>
    /// The alias after <paramref name="current"/> in <paramref name="requested"/>'s fallback list that the caller may
    /// use: a key never reaches through a fallback an alias it may not call.
    /// </summary>
    public static AliasRoute? Next(ModelMap.ModelMap map, AccessGrant grant, AliasRoute requested, AliasRoute current)
    {
        var position = current.Alias == requested.Alias ? 0 : IndexOf(requested.Fallbacks, current.Alias) + 1;
        for (var i = position; i < requested.Fallbacks.Count; i++)
        {
            if (grant.Allows(requested.Fallbacks[i]) && map.TryResolve(requested.Fallbacks[i], out var next))
            {
                return next;
            }
        }
        return null;
    }

    private static int IndexOf(IReadOnlyList<string> aliases, string alias)
    {
        for (var i = 0; i < aliases.Count; i++)
        {
            if (aliases[i] == alias)
            {
                return i;
            }
        }
        return -1;
    }
}
