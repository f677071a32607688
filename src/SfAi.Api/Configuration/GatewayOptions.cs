using System.Globalization;
using SfAi.Core.Access.Supabase;
using SfAi.Core.Logging;
using SfAi.Core.RateLimiting;
using SfAi.Core.Streaming;

namespace SfAi.Api.Configuration;

/// <summary>The gateway's settings, read from configuration (environment variables, command line, appsettings).</summary>
public sealed record GatewayOptions
{
    public const long DefaultMaxRequestBodyBytes = 20 * 1024 * 1024;

    /// <summary><c>MODEL_MAP_PATH</c>: the model map file; by default the <c>config/model_map.json</c> shipped beside the binary.</summary>
    public required string ModelMapPath { get; init; }

    /// <summary><c>MODEL_MAP_S3_URI</c>: read the model map from S3 (<c>s3://bucket/config/model_map.json</c>) rather than a file.</summary>
    public string? ModelMapS3Uri { get; init; }

    /// <summary><c>API_KEYS_S3_URI</c>: read the keys file from S3 rather than a file.</summary>
    public string? ApiKeysS3Uri { get; init; }

    /// <summary><c>AWS_ENDPOINT_URL_S3</c>: an S3 endpoint other than AWS's (a local emulator).</summary>
    public string? S3Endpoint { get; init; }

    /// <summary><c>SECRETS_STORE</c>: <c>ssm</c> (Secrets Manager through SSM; the default inside AWS Lambda) or <c>env</c> (environment variables only; the default elsewhere).</summary>
    public required bool SecretsFromSsm { get; init; }

    /// <summary><c>SECRETS_CACHE_SECONDS</c>: how long a secret read from SSM is kept (default 300), so rotations are picked up.</summary>
    public required TimeSpan SecretsCacheTtl { get; init; }

    /// <summary><c>AWS_ENDPOINT_URL_SSM</c>: an SSM endpoint other than AWS's (a local emulator).</summary>
    public string? SsmEndpoint { get; init; }

    /// <summary><c>METRICS</c>: <c>emf</c> (CloudWatch Embedded Metric Format lines on stdout; the default inside AWS Lambda) or <c>off</c>.</summary>
    public required bool EmfMetrics { get; init; }

    /// <summary><c>METRICS_NAMESPACE</c>: the CloudWatch namespace (default <c>SfAi</c>).</summary>
    public required string MetricsNamespace { get; init; }

    /// <summary><c>ENVIRONMENT_NAME</c>: the deployment's environment (<c>prod</c> by default), a metrics dimension.</summary>
    public required string EnvironmentName { get; init; }

    /// <summary><c>AUTH_MODE</c>: <c>keys</c> (the default: a gateway key is required) or <c>none</c> (open, as the seed was).</summary>
    public required bool RequireKeys { get; init; }

    /// <summary><c>API_KEYS_PATH</c>: the keys file; by default the <c>config/api_keys.json</c> shipped beside the binary.</summary>
    public required string ApiKeysPath { get; init; }

    /// <summary><c>ALLOW_ORIGINS</c>: the browser origins allowed by CORS (comma-separated; <c>*</c> for any); none by default.</summary>
    public required IReadOnlyList<string> AllowOrigins { get; init; }

    /// <summary>
    /// <c>SUPABASE_URL</c> (with <c>SUPABASE_AUDIENCE</c>, default <c>authenticated</c>, and <c>SUPABASE_ANON_KEY</c>):
    /// the Supabase project whose users' access tokens are accepted beside gateway keys; none by default.
    /// </summary>
    public SupabaseProject? Supabase { get; init; }

    /// <summary>
    /// <c>SUPABASE_JWT_SECRET</c>: the project's legacy JWT secret (HS256 tokens). On AWS, when unset, the secret
    /// <c>/sfai/&lt;env&gt;/SUPABASE_JWT_SECRET</c> is read through the secret store.
    /// </summary>
    public string? SupabaseJwtSecret { get; init; }

    /// <summary><c>RATE_LIMIT_QPM</c>: requests per minute for the whole gateway; 0 (the default) for no global limit.</summary>
    public required int RateLimitQpm { get; init; }

    /// <summary><c>RATE_LIMIT_STORE</c>: <c>memory</c> (one process, the default) or <c>dynamodb</c> (shared by every instance).</summary>
    public required bool SharedRateLimits { get; init; }

    /// <summary><c>RATE_LIMIT_TABLE</c>: the DynamoDB table of the shared counters (partition key <c>pk</c>, TTL attribute <c>expiresAt</c>).</summary>
    public required string RateLimitTable { get; init; }

    /// <summary>
    /// <c>RATE_LIMIT_STORE_FAILURE</c> (<c>open</c>, the default, or <c>closed</c>) and <c>RATE_LIMIT_STORE_TIMEOUT_MS</c>
    /// (default 500): what a request meets while the shared store cannot answer, and how long one call may take.
    /// </summary>
    public required RateLimitStoreGuardOptions RateLimitStoreGuard { get; init; }

    /// <summary>
    /// <c>USAGE_STORE</c>: <c>sqlite</c> (the default outside AWS Lambda), <c>dynamodb</c> (shared by every instance), or
    /// <c>off</c> (the default in Lambda, whose disk does not last).
    /// </summary>
    public UsageStore UsageStore { get; init; } = UsageStore.Off;

    /// <summary><c>USAGE_DB_PATH</c>: the SQLite ledger's file (<c>data/usage.db</c> under the working directory by default).</summary>
    public string UsageDbPath { get; init; } = DefaultUsageDbPath;

    /// <summary><c>USAGE_TABLE</c>: the DynamoDB table of the ledger's daily sums (keys <c>pk</c>, <c>sk</c>; TTL on <c>expiresAt</c>).</summary>
    public string UsageTable { get; init; } = DefaultUsageTable;

    public const string DefaultUsageTable = "sfai-usage";

    /// <summary><c>BUDGET_MONTHLY_USD</c>: what the whole gateway may spend per UTC month; unlimited when unset.</summary>
    public decimal? BudgetMonthlyUsd { get; init; }

    /// <summary><c>BUDGET_STORE_FAILURE</c>: <c>open</c> (default: calls go on uncounted) or <c>closed</c> (503) while the shared store cannot count spend.</summary>
    public RateLimitStoreFailure BudgetStoreFailure { get; init; } = RateLimitStoreFailure.Open;

    /// <summary><c>AWS_ENDPOINT_URL_DYNAMODB</c>: a DynamoDB endpoint other than AWS's (a local emulator).</summary>
    public string? DynamoDbEndpoint { get; init; }

    /// <summary><c>MODEL_MAP_REFRESH_SECONDS</c>: how often the map and keys are checked for a new version (default 5 s for local files, 60 s for S3).</summary>
    public required TimeSpan ModelMapRefreshInterval { get; init; }

    /// <summary><c>MAX_REQUEST_BODY_BYTES</c>: larger request bodies get 413 (default 20 MiB).</summary>
    public required long MaxRequestBodyBytes { get; init; }

    /// <summary><c>MAX_UPSTREAM_EVENT_BYTES</c>: a larger stream event from an upstream fails the stream with <c>upstream_error</c> (default 8 MiB).</summary>
    public int MaxUpstreamEventBytes { get; init; } = SseEventReader.DefaultMaxEventBytes;

    /// <summary><c>LOG_USER_TEXT</c>: <c>full</c>, <c>truncate:N</c>, <c>hash</c> or <c>off</c>.</summary>
    public required UserTextPolicy UserText { get; init; }

    /// <summary><c>LOG_FORMAT</c>: <c>json</c> (compact JSON lines) or <c>text</c>; text by default in Development.</summary>
    public required bool JsonLogs { get; init; }

    /// <summary><c>LOG_LEVEL</c>: the minimum Serilog level (default Information).</summary>
    public required Serilog.Events.LogEventLevel LogLevel { get; init; }

    /// <summary>True inside AWS Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> is set), where the process may be frozen after each answer.</summary>
    public bool InLambda { get; init; }

    /// <exception cref="InvalidOperationException">A setting has a value the gateway cannot use.</exception>
    public static GatewayOptions From(IConfiguration configuration, bool isDevelopment) => new()
    {
        ModelMapPath = configuration["MODEL_MAP_PATH"] is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "config", "model_map.json"),
        ModelMapS3Uri = NonEmpty(configuration["MODEL_MAP_S3_URI"]),
        ApiKeysS3Uri = NonEmpty(configuration["API_KEYS_S3_URI"]),
        S3Endpoint = NonEmpty(configuration["AWS_ENDPOINT_URL_S3"]),
        SecretsFromSsm = (configuration["SECRETS_STORE"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" => NonEmpty(configuration["AWS_LAMBDA_FUNCTION_NAME"]) is not null,
            "SSM" => true,
            "ENV" => false,
            var other => throw new InvalidOperationException($"SECRETS_STORE '{other}' is not one of: ssm, env."),
        },
        SecretsCacheTtl = TimeSpan.FromSeconds(Number(configuration, "SECRETS_CACHE_SECONDS", 300, min: 0)),
        SsmEndpoint = NonEmpty(configuration["AWS_ENDPOINT_URL_SSM"]),
        EmfMetrics = (configuration["METRICS"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" => NonEmpty(configuration["AWS_LAMBDA_FUNCTION_NAME"]) is not null,
            "EMF" => true,
            "OFF" => false,
            var other => throw new InvalidOperationException($"METRICS '{other}' is not one of: emf, off."),
        },
        MetricsNamespace = NonEmpty(configuration["METRICS_NAMESPACE"]) ?? "SfAi",
        EnvironmentName = NonEmpty(configuration["ENVIRONMENT_NAME"]) ?? "prod",
        RequireKeys = (configuration["AUTH_MODE"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" or "KEYS" => true,
            "NONE" => false,
            var other => throw new InvalidOperationException($"AUTH_MODE '{other}' is not one of: keys, none."),
        },
        ApiKeysPath = configuration["API_KEYS_PATH"] is { Length: > 0 } keysPath
            ? keysPath
            : Path.Combine(AppContext.BaseDirectory, "config", "api_keys.json"),
        AllowOrigins = (configuration["ALLOW_ORIGINS"] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Supabase = NonEmpty(configuration["SUPABASE_URL"]) is { } supabaseUrl
            ? Uri.TryCreate(supabaseUrl, UriKind.Absolute, out var parsedUrl) && parsedUrl.Scheme is "https" or "http"
                ? SupabaseProject.Create(supabaseUrl, configuration["SUPABASE_AUDIENCE"], configuration["SUPABASE_ANON_KEY"])
                : throw new InvalidOperationException($"SUPABASE_URL '{supabaseUrl}' is not an http(s) URL (e.g. https://abcd.supabase.co).")
            : null,
        SupabaseJwtSecret = NonEmpty(configuration["SUPABASE_JWT_SECRET"]),
        RateLimitQpm = (int)Math.Min(int.MaxValue, Number(configuration, "RATE_LIMIT_QPM", 0, min: 0)),
        SharedRateLimits = (configuration["RATE_LIMIT_STORE"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" or "MEMORY" => false,
            "DYNAMODB" => true,
            var other => throw new InvalidOperationException($"RATE_LIMIT_STORE '{other}' is not one of: memory, dynamodb."),
        },
        RateLimitStoreGuard = new RateLimitStoreGuardOptions(
            (configuration["RATE_LIMIT_STORE_FAILURE"]?.Trim().ToUpperInvariant()) switch
            {
                null or "" or "OPEN" => RateLimitStoreFailure.Open,
                "CLOSED" => RateLimitStoreFailure.Closed,
                var other => throw new InvalidOperationException($"RATE_LIMIT_STORE_FAILURE '{other}' is not one of: open, closed."),
            },
            TimeSpan.FromMilliseconds(Number(configuration, "RATE_LIMIT_STORE_TIMEOUT_MS",
                (long)RateLimitStoreGuardOptions.DefaultTimeout.TotalMilliseconds, min: 1)),
            RateLimitStoreGuardOptions.DefaultRest),
        UsageStore = UsageStoreOf(configuration["USAGE_STORE"], inLambda: NonEmpty(configuration["AWS_LAMBDA_RUNTIME_API"]) is not null),
        UsageDbPath = NonEmpty(configuration["USAGE_DB_PATH"]) ?? DefaultUsageDbPath,
        UsageTable = NonEmpty(configuration["USAGE_TABLE"]) ?? DefaultUsageTable,
        BudgetMonthlyUsd = NonEmpty(configuration["BUDGET_MONTHLY_USD"]) is { } gatewayBudget
            ? decimal.TryParse(gatewayBudget, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var usd) && usd > 0
                ? usd
                : throw new InvalidOperationException($"BUDGET_MONTHLY_USD '{gatewayBudget}' is not an amount of US dollars > 0 (e.g. 500 or 99.50).")
            : null,
        BudgetStoreFailure = (configuration["BUDGET_STORE_FAILURE"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" or "OPEN" => RateLimitStoreFailure.Open,
            "CLOSED" => RateLimitStoreFailure.Closed,
            var other => throw new InvalidOperationException($"BUDGET_STORE_FAILURE '{other}' is not one of: open, closed."),
        },
        RateLimitTable = configuration["RATE_LIMIT_TABLE"] is { Length: > 0 } table ? table : "sfai-rate-limits",
        DynamoDbEndpoint = configuration["AWS_ENDPOINT_URL_DYNAMODB"] is { Length: > 0 } endpoint ? endpoint : null,
        ModelMapRefreshInterval = TimeSpan.FromSeconds(Number(configuration, "MODEL_MAP_REFRESH_SECONDS",
            NonEmpty(configuration["MODEL_MAP_S3_URI"]) is null ? 5 : 60, min: 1)),
        MaxRequestBodyBytes = Number(configuration, "MAX_REQUEST_BODY_BYTES", DefaultMaxRequestBodyBytes, min: 1024),
        MaxUpstreamEventBytes = (int)Number(configuration, "MAX_UPSTREAM_EVENT_BYTES", SseEventReader.DefaultMaxEventBytes, min: 1024, max: int.MaxValue),
        UserText = Setting(() => UserTextPolicy.Parse(configuration["LOG_USER_TEXT"])),
        JsonLogs = (configuration["LOG_FORMAT"]?.Trim().ToUpperInvariant()) switch
        {
            null or "" => !isDevelopment,
            "JSON" => true,
            "TEXT" => false,
            var other => throw new InvalidOperationException($"LOG_FORMAT '{other}' is not one of: json, text."),
        },
        InLambda = NonEmpty(configuration["AWS_LAMBDA_RUNTIME_API"]) is not null,
        LogLevel = configuration["LOG_LEVEL"] is { Length: > 0 } level
            ? Enum.TryParse<Serilog.Events.LogEventLevel>(level, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"LOG_LEVEL '{level}' is not one of: {string.Join(", ", Enum.GetNames<Serilog.Events.LogEventLevel>())}.")
            : Serilog.Events.LogEventLevel.Information,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static long Number(IConfiguration configuration, string name, long fallback, long min, long max = long.MaxValue)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException(max == long.MaxValue
                ? $"{name} '{text}' must be a whole number ≥ {min}."
                : $"{name} '{text}' must be a whole number from {min} to {max}.");
    }

    private static T Setting<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    private static readonly string DefaultUsageDbPath = Path.Combine("data", "usage.db");

    public static UsageStore UsageStoreOf(string? setting, bool inLambda) => setting?.Trim().ToUpperInvariant() switch
    {
        null or "" => inLambda ? UsageStore.Off : UsageStore.Sqlite,
        "SQLITE" => UsageStore.Sqlite,
        "DYNAMODB" => UsageStore.DynamoDb,
        "OFF" => UsageStore.Off,
        var other => throw new InvalidOperationException($"USAGE_STORE '{other}' is not one of: sqlite, dynamodb, off."),
    };
}

/// <summary>Where the usage ledger is kept (<c>USAGE_STORE</c>).</summary>
public enum UsageStore
{
    Off,
    Sqlite,
    DynamoDb,
}
