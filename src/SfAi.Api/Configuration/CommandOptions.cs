namespace SfAi.Api.Configuration;

/// <summary>The <c>--name value</c> pairs of a gateway command (<c>keys create</c>, <c>usage</c>).</summary>
internal static class CommandOptions
{
    /// <summary>The options by name; <c>null</c> when an argument is not a <c>--name value</c> pair.</summary>
    public static Dictionary<string, string>? Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                return null;
            }
            options[args[i][2..]] = args[i + 1];
        }
        return options;
    }
}
