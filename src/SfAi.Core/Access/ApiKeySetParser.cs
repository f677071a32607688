using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Access.Supabase;
using SfAi.Core.Configuration;
using SfAi.Core.Budgets;

namespace SfAi.Core.Access;

/// <summary>
/// Reads the keys file (<c>schemas/api_keys.schema.json</c>): <c>anonymous</c> (what callers without a key may use)
/// and <c>keys</c>, each a name, the SHA-256 of the key, its aliases (<c>"*"</c> for all), limits and expiry.
/// Every problem is reported with its JSON path.
/// </summary>
public static class ApiKeySetParser
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly string[] RootFields = ["$schema", "description", "anonymous", "supabase", "keys"];
    private static readonly string[] AnonymousFields = ["aliases", "qpm", "tpm", "budget"];
    private static readonly string[] SupabaseFields = ["aliases", "qpm", "tpm", "trustAppMetadata", "budget"];
    private static readonly string[] KeyFields = ["name", "sha256", "aliases", "qpm", "tpm", "expires", "description", "budget", "admin"];

    /// <exception cref="ConfigValidationException">The file breaks a rule.</exception>
    public static ApiKeySet Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: Options);
        }
        catch (JsonException ex)
        {
            throw new ConfigValidationException("keys file", source, [$"$: not valid JSON: {ex.Message}"]);
        }
        var reader = new JsonFieldReader();
        if (root is not JsonObject file)
        {
            throw new ConfigValidationException("keys file", source, ["$: must be an object with 'keys'"]);
        }
        reader.CheckFields(file, "$", RootFields);

        AccessGrant? anonymous = null;
        if (reader.Optional<JsonObject>(file, "anonymous", "$", "an object with 'aliases'") is { } anon)
        {
            reader.CheckFields(anon, "$.anonymous", AnonymousFields);
            anonymous = new AccessGrant(AccessGrant.AnonymousName, Aliases(reader, anon, "$.anonymous"),
                reader.PositiveInteger(anon, "qpm", "$.anonymous"), reader.PositiveInteger(anon, "tpm", "$.anonymous"))
            {
                Budget = SpendBudget.Read(reader, anon, "$.anonymous"),
            };
        }

        var supabase = reader.Optional<JsonObject>(file, "supabase", "$", "an object with 'aliases'") is { } section
            ? Supabase(reader, section)
            : null;

        var keys = new List<ApiKeyEntry>();
        var keysNode = reader.Required<JsonArray>(file, "keys", "$", "an array (may be empty)") ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keysNode.Count; i++)
        {
            if (Key(reader, keysNode[i], $"$.keys[{i}]") is { } entry)
            {
                if (!names.Add(entry.Name))
                {
                    reader.Problem($"$.keys[{i}].name", $"'{entry.Name}' is used by another key; names must be unique");
                }
                keys.Add(entry);
            }
        }
        return reader.Problems.Count == 0
            ? new ApiKeySet(keys, anonymous, supabase)
            : throw new ConfigValidationException("keys file", source, reader.Problems);
    }

    private static SupabasePolicy Supabase(JsonFieldReader reader, JsonObject section)
    {
        const string path = "$.supabase";
        reader.CheckFields(section, path, SupabaseFields);
        var trust = false;
        if (section["trustAppMetadata"] is { } node)
        {
            if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                trust = node.GetValue<bool>();
            }
            else
            {
                reader.Problem($"{path}.trustAppMetadata", "must be true or false");
            }
        }
        var budget = SpendBudget.Read(reader, section, path);
        return new SupabasePolicy(Aliases(reader, section, path), reader.PositiveInteger(section, "qpm", path),
            reader.PositiveInteger(section, "tpm", path), trust, budget);
    }

    private static ApiKeyEntry? Key(JsonFieldReader reader, JsonNode? node, string path)
    {
        if (node is not JsonObject key)
        {
            reader.Problem(path, "must be an object with 'name', 'sha256' and 'aliases'");
            return null;
        }
        reader.CheckFields(key, path, KeyFields);
        var name = reader.RequiredString(key, "name", path);
        var hashHex = reader.RequiredString(key, "sha256", path);
        byte[]? hash = null;
        if (hashHex is not null)
        {
            if (hashHex.Length == 64 && hashHex.All(char.IsAsciiHexDigit))
            {
                hash = Convert.FromHexString(hashHex);
            }
            else
            {
                reader.Problem($"{path}.sha256", "must be the 64 hex digits of the key's SHA-256 (see 'keys create'), never the key itself");
            }
        }
        var aliases = Aliases(reader, key, path);
        var qpm = reader.PositiveInteger(key, "qpm", path);
        var tpm = reader.PositiveInteger(key, "tpm", path);
        DateTimeOffset? expires = null;
        if (reader.OptionalString(key, "expires", path) is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                expires = parsed;
            }
            else
            {
                reader.Problem($"{path}.expires", $"'{text}' is not a date and time (ISO 8601, e.g. 2027-01-31T00:00:00Z)");
            }
        }
        var budget = SpendBudget.Read(reader, key, path);
        var admin = false;
        if (key["admin"] is { } flag)
        {
            if (flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                admin = flag.GetValue<bool>();
            }
            else
            {
                reader.Problem($"{path}.admin", "must be true or false");
            }
        }
        return name is null || hash is null ? null : new ApiKeyEntry(name, hash, aliases, qpm, tpm, expires) { Budget = budget, Admin = admin };
    }

    private static HashSet<string>? Aliases(JsonFieldReader reader, JsonObject node, string path)
    {
        if (node["aliases"] is null)
        {
            reader.Problem($"{path}.aliases", "required (the aliases it may use, or [\"*\"] for all)");
            return [];
        }
        var aliases = reader.StringArray(node, "aliases", path) ?? [];
        return aliases.Contains("*") ? null : [.. aliases];
    }
}
