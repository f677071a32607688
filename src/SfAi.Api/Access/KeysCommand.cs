using System.Globalization;
using System.Text.Json;
using SfAi.Api.Configuration;
using SfAi.Core.Access;
using SfAi.Core.Json;

namespace SfAi.Api.Access;

/// <summary>
/// <c>keys create --name alice --aliases backend,frontend [--qpm 60] [--tpm 200000] [--admin true] [--expires 2027-01-31]</c>:
/// makes a key, prints it once, and prints the entry to add to the keys file (which holds only its hash).
/// </summary>
internal static class KeysCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "keys";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || args[1] != "create")
        {
            error.WriteLine("Usage: keys create --name NAME --aliases a,b|* [--qpm N] [--tpm N] [--admin true] [--expires 2027-01-31T00:00:00Z]");
            return 2;
        }
        var options = CommandOptions.Parse(args[2..]);
        if (options is null || !options.TryGetValue("name", out var name) || !options.TryGetValue("aliases", out var aliases))
        {
            error.WriteLine("keys create needs --name and --aliases (comma-separated, or * for all).");
            return 2;
        }
        if (options.TryGetValue("expires", out var expires)
            && !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            error.WriteLine($"--expires '{expires}' is not a date and time (ISO 8601).");
            return 2;
        }
        foreach (var limit in new[] { "qpm", "tpm" })
        {
            if (options.TryGetValue(limit, out var text) && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0))
            {
                error.WriteLine($"--{limit} '{text}' must be a whole number > 0.");
                return 2;
            }
        }

        if (options.TryGetValue("admin", out var admin) && admin is not ("true" or "false"))
        {
            error.WriteLine($"--admin '{admin}' must be true or false.");
            return 2;
        }

        var key = ApiKeyGenerator.NewKey();
        output.WriteLine($"New key for '{name}' (shown once; store it now):");
        output.WriteLine();
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine("Add this entry to \"keys\" in the keys file (API_KEYS_PATH; in the config bucket on AWS):");
        output.WriteLine();
        output.WriteLine(Entry(name, ApiKeyGenerator.Sha256Hex(key), aliases, options));
        return 0;
    }

    private static string Entry(string name, string hash, string aliases, Dictionary<string, string> options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options with { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("sha256", hash);
            writer.WriteStartArray("aliases");
            foreach (var alias in aliases.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                writer.WriteStringValue(alias);
            }
            writer.WriteEndArray();
            foreach (var limit in new[] { "qpm", "tpm" })
            {
                if (options.TryGetValue(limit, out var value))
                {
                    writer.WriteNumber(limit, int.Parse(value, CultureInfo.InvariantCulture));
                }
            }
            if (options.GetValueOrDefault("admin") == "true")
            {
                writer.WriteBoolean("admin", true);
            }
            if (options.TryGetValue("expires", out var expires))
            {
                writer.WriteString("expires", DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToString("O", CultureInfo.InvariantCulture));
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
