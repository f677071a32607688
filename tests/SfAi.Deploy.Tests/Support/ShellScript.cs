using System.Text.RegularExpressions;

namespace SfAi.Deploy.Tests.Support;

/// <summary>
/// The simple commands of a workflow's <c>run</c> script, as far as the workflow tests need them: one per line,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>;</c> or <c>|</c>; leading variable assignments dropped; the command of an
/// assignment from <c>$(…)</c> taken as the command. Quotes are removed from words, as the shell does.
/// </summary>
internal static partial class ShellScript
{
    public static IEnumerable<IReadOnlyList<string>> Commands(string script) =>
        script.Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .SelectMany(line => Separator().Split(line))
            .Select(command => Words(AssignedCommand().Replace(command.Trim(), "$1")))
            .Select(words => (IReadOnlyList<string>)[.. words.SkipWhile(word => Assignment().IsMatch(word))])
            .Where(words => words.Count > 0);

    private static List<string> Words(string command) =>
        [.. Word().Matches(command).Select(match => Quoted().Replace(match.Value, quoted => quoted.Value[1..^1]))];

    [GeneratedRegex(@"\s*(?:&&|\|\||;|\|)\s*")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=\$\((.*)\)$")]
    private static partial Regex AssignedCommand();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    [GeneratedRegex("""(?:"[^"]*"|'[^']*'|[^\s"']+)+""")]
    private static partial Regex Word();

    [GeneratedRegex(@"""[^""]*""|'[^']*'")]
    private static partial Regex Quoted();
}
