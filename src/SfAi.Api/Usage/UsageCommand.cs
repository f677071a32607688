using System.Globalization;
using SfAi.Api.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// <c>usage [--from 2026-12-01] [--to 2026-12-31] [--group-by key|user|alias|model|day] [--db data/usage.db | --table sfai-usage]</c>:
/// prints the usage API's figures as a table, from the gateway's ledger: the SQLite file, or the DynamoDB table when
/// <c>USAGE_STORE=dynamodb</c> or <c>--table</c> says so (AWS credentials and region as the AWS CLI takes them).
/// </summary>
internal static class UsageCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "usage";

    /// <summary>
    /// Runs the command with the gateway's settings from <paramref name="environment"/> (<c>USAGE_STORE</c>,
    /// <c>USAGE_DB_PATH</c>, <c>USAGE_TABLE</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>): the process environment by default.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, DateTimeOffset now, IConfiguration? environment = null)
    {
        if (CommandOptions.Parse(args[1..]) is not { } options || options.Keys.Except(["from", "to", "group-by", "db", "table"]).Any()
            || (options.ContainsKey("db") && options.ContainsKey("table")))
        {
            error.WriteLine("Usage: usage [--from 2026-12-01] [--to 2026-12-31] [--group-by key|user|alias|model|day] [--db data/usage.db | --table sfai-usage]");
            return 2;
        }
        var settings = GatewayOptions.From(environment ?? new ConfigurationBuilder().AddEnvironmentVariables().Build(), isDevelopment: false);
        settings = options.TryGetValue("table", out var table)
            ? settings with { UsageStore = UsageStore.DynamoDb, UsageTable = table }
            : options.TryGetValue("db", out var db) ? settings with { UsageStore = UsageStore.Sqlite, UsageDbPath = db } : settings;
        if (settings.UsageStore != UsageStore.DynamoDb && !File.Exists(settings.UsageDbPath))
        {
            error.WriteLine($"No usage ledger at '{settings.UsageDbPath}' (USAGE_DB_PATH, or --db; --table for DynamoDB).");
            return 1;
        }
        try
        {
            var query = UsageEndpoint.Query(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
            {
                ["from"] = options.GetValueOrDefault("from"),
                ["to"] = options.GetValueOrDefault("to"),
                ["group_by"] = options.GetValueOrDefault("group-by"),
            }), now);
            void Report(string reason, long lostRows) => error.WriteLine(reason);
            await using QueuedUsageLedger ledger = settings.UsageStore == UsageStore.DynamoDb
                ? new DynamoDbUsageLedger(GatewayApplication.DynamoDbClient(settings, TimeSpan.FromSeconds(10)), settings.UsageTable, Report, TimeProvider.System)
                : new SqliteUsageLedger(settings.UsageDbPath, Report, TimeProvider.System);
            Print(query, await ledger.QueryAsync(query, CancellationToken.None), output);
            return 0;
        }
        catch (GatewayException ex)
        {
            error.WriteLine(ex.Error.Message);
            return ex.Error.Status == 400 ? 2 : 1;
        }
    }

    private static void Print(UsageQuery query, IReadOnlyList<UsageGroup> groups, TextWriter output)
    {
        string[] header = [query.GroupBy.ToString().ToLowerInvariant(), "requests", "errors", "tokens in", "tokens out", "cost USD", "p50 ms", "p95 ms"];
        var rows = groups.Select(g => new[]
        {
            g.Group, Number(g.Requests), Number(g.Errors), Number(g.TokensIn), Number(g.TokensOut),
            g.CostUsd.ToString("0.000000", CultureInfo.InvariantCulture), g.LatencyP50Ms.ToString("0.0", CultureInfo.InvariantCulture),
            g.LatencyP95Ms.ToString("0.0", CultureInfo.InvariantCulture),
        }).ToList();
        rows.Add(["total", Number(groups.Sum(g => g.Requests)), Number(groups.Sum(g => g.Errors)), Number(groups.Sum(g => g.TokensIn)),
            Number(groups.Sum(g => g.TokensOut)), groups.Sum(g => g.CostUsd).ToString("0.000000", CultureInfo.InvariantCulture), "", ""]);
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine($"Usage {query.From:yyyy-MM-dd} to {query.To.AddDays(-1):yyyy-MM-dd} (UTC)");
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
