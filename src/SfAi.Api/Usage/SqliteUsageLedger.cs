using System.Globalization;
using Microsoft.Data.Sqlite;
using SfAi.Core.Errors;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// The usage ledger in a SQLite file (<c>USAGE_DB_PATH</c>), in WAL mode: each batch of rows is inserted in one
/// transaction. The file and its schema are made on first use and migrated forward.
/// </summary>
internal sealed class SqliteUsageLedger : QueuedUsageLedger
{
    /// <summary>The schema version this code writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 2;

    private static readonly string[] InsertParameters = ["$time", "$request", "$key", "$user", "$alias", "$answered", "$provider", "$model",
        "$status", "$error", "$in", "$out", "$cached", "$cost", "$known", "$estimated", "$latency", "$protocol", "$cacheWrite"];

    private readonly string _connectionString;
    private readonly string _path;
    private bool _schemaReady;

    public SqliteUsageLedger(string path, Action<string, long> reportFailure, TimeProvider time)
        : base(reportFailure, time)
    {
        _path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        StartWriting();
    }

    public override async Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        SqliteConnection connection;
        try
        {
            connection = Open();
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new GatewayException(new GatewayError(503, "service_unavailable", "usage_store_unavailable", null,
                $"The usage ledger cannot be read: {ex.Message}", ErrorKinds.Internal));
        }
        await using var _ = connection;
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time, request_id, key_name, user_id, alias, answered_by, provider, upstream_model, status, error_type,
                   tokens_in, tokens_out, cached_tokens_in, cost_usd, cost_known, tokens_estimated, latency_ms, protocol,
                   cache_write_tokens_in
            FROM usage WHERE time >= $from AND time < $to
            """;
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        var figures = new UsageFigures(query.GroupBy);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new UsageRow(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                NullableString(reader, 3), NullableString(reader, 4), NullableString(reader, 5), NullableString(reader, 6),
                NullableString(reader, 7), reader.GetInt32(8), NullableString(reader, 9), reader.GetInt32(10), reader.GetInt32(11),
                reader.GetInt32(12), decimal.Parse(reader.GetString(13), CultureInfo.InvariantCulture), reader.GetBoolean(14),
                reader.GetBoolean(15), reader.GetDouble(16), NullableString(reader, 17), reader.GetInt32(18));
            figures.Add(row);
        }
        return figures.Groups();
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A connection to the file, its folder and schema made on first use (a ledger that cannot be opened fails no request).</summary>
    private SqliteConnection Open()
    {
        if (!_schemaReady && Path.GetDirectoryName(Path.GetFullPath(_path)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!_schemaReady)
            {
                CreateSchema(connection);
                _schemaReady = true;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA user_version;";
        var version = 0L;
        using (var reader = command.ExecuteReader())
        {
            reader.NextResult();
            if (reader.Read())
            {
                version = reader.GetInt64(0);
            }
        }
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The usage database was written by a newer gateway (schema {version}; this one writes {SchemaVersion}).");
        }
        if (version < 1)
        {
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS usage (
                    time INTEGER NOT NULL,
                    request_id TEXT NOT NULL,
                    key_name TEXT NOT NULL,
                    user_id TEXT,
                    alias TEXT,
                    answered_by TEXT,
                    provider TEXT,
                    upstream_model TEXT,
                    status INTEGER NOT NULL,
                    error_type TEXT,
                    tokens_in INTEGER NOT NULL,
                    tokens_out INTEGER NOT NULL,
                    cached_tokens_in INTEGER NOT NULL,
                    cost_usd TEXT NOT NULL,
                    cost_known INTEGER NOT NULL,
                    tokens_estimated INTEGER NOT NULL,
                    latency_ms REAL NOT NULL);
                CREATE INDEX IF NOT EXISTS usage_time ON usage (time);
                PRAGMA user_version = 1;
                """;
            create.ExecuteNonQuery();
        }
        if (version < 2)
        {
            using var migrate = connection.CreateCommand();
            migrate.CommandText = """
                ALTER TABLE usage ADD COLUMN protocol TEXT;
                ALTER TABLE usage ADD COLUMN cache_write_tokens_in INTEGER NOT NULL DEFAULT 0;
                PRAGMA user_version = 2;
                """;
            migrate.ExecuteNonQuery();
        }
    }

    protected override bool IsStoreFailure(Exception exception) =>
        exception is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException;

    protected override Task WriteAsync(IReadOnlyList<UsageRow> batch)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO usage (time, request_id, key_name, user_id, alias, answered_by, provider, upstream_model, status,
                error_type, tokens_in, tokens_out, cached_tokens_in, cost_usd, cost_known, tokens_estimated, latency_ms,
                protocol, cache_write_tokens_in)
            VALUES ($time, $request, $key, $user, $alias, $answered, $provider, $model, $status, $error,
                $in, $out, $cached, $cost, $known, $estimated, $latency, $protocol, $cacheWrite)
            """;
        var parameters = InsertParameters.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var row in batch)
        {
            object?[] values = [row.Time.ToUnixTimeMilliseconds(), row.RequestId, row.KeyName, row.UserId, row.Alias, row.AnsweredBy,
                row.Provider, row.UpstreamModel, row.Status, row.ErrorType, row.TokensIn, row.TokensOut, row.CachedTokensIn,
                row.CostUsd.ToString(CultureInfo.InvariantCulture), row.CostKnown, row.TokensEstimated, row.LatencyMs, row.Protocol,
                row.CacheWriteTokensIn];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return Task.CompletedTask;
    }
}
