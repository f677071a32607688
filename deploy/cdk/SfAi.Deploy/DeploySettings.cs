using System.Globalization;
using System.Text.RegularExpressions;

namespace SfAi.Deploy;

/// <summary>
/// The choices of one deployment, read from CDK context (<c>cdk deploy -c name=value</c>, or <c>cdk.json</c>), some
/// also from the environment, with the seed's defaults. Invalid values stop the synthesis with a message naming them.
/// </summary>
public sealed partial record DeploySettings
{
    /// <summary><c>environmentName</c>: separates every name (stack, secrets, stage, dashboard); default <c>prod</c>.</summary>
    public string EnvironmentName { get; init; } = "prod";

    /// <summary><c>rateLimitQpm</c> or <c>RATE_LIMIT_QPM</c>: the gateway's chat completions per minute and the stage's throttling; 0 = no limit.</summary>
    public int RateLimitQpm { get; init; } = 60;

    /// <summary><c>burstLimit</c>: the stage's throttling burst.</summary>
    public int BurstLimit { get; init; } = 10;

    /// <summary><c>allowOrigins</c> or <c>ALLOW_ORIGINS</c>: CORS origins, comma-separated, or <c>*</c>; empty = no CORS.</summary>
    public string AllowOrigins { get; init; } = string.Empty;

    /// <summary><c>logUserText</c>: the gateway's <c>LOG_USER_TEXT</c> (<c>full</c>, <c>truncate:N</c>, <c>hash</c>, <c>off</c>).</summary>
    public string LogUserText { get; init; } = "full";

    /// <summary><c>streaming=true</c>: a second function behind a Function URL in <c>RESPONSE_STREAM</c> mode.</summary>
    public bool Streaming { get; init; }

    /// <summary>
    /// <c>nativeAot</c>: <c>true</c> runs the native AOT build as <c>bootstrap</c> on <c>provided.al2023</c>;
    /// <c>false</c> the JIT build on the managed <c>dotnet10</c>. Default: <c>true</c> on x86_64, <c>false</c> on arm64
    /// (an arm64 native build on an x86_64 machine needs a cross toolchain; docs/deploy.md, "arm64").
    /// </summary>
    public bool NativeAot { get; init; } = true;

    /// <summary><c>architecture</c>: <c>x86_64</c> or <c>arm64</c>, matching the publish's runtime identifier.</summary>
    public string Architecture { get; init; } = "x86_64";

    public bool Arm64 => Architecture == "arm64";

    /// <summary>
    /// <c>lambdaPackagePath</c>: a publish output of <c>src/SfAi.Api</c> made beforehand, relative to <c>deploy/cdk</c>;
    /// none by default: the deploy publishes the gateway itself.
    /// </summary>
    public string? LambdaPackagePath { get; init; }

    /// <summary><c>provisionedConcurrency</c>: instances of each function kept initialised behind a <c>live</c> alias; 0 = none (on demand).</summary>
    public int ProvisionedConcurrency { get; init; }

    /// <summary><c>uploadConfig=true</c>: the deploy copies <c>model_map.json</c> and <c>api_keys.json</c> to the config bucket.</summary>
    public bool UploadConfig { get; init; }

    /// <summary><c>configPath</c>: the folder holding the two files that <c>uploadConfig</c> copies, relative to <c>deploy/cdk</c>.</summary>
    public string ConfigPath { get; init; } = Path.Combine("..", "..", "config");

    /// <summary><c>supabaseUrl</c>: the Supabase project whose users' sessions the gateway accepts (its <c>SUPABASE_URL</c>); none by default.</summary>
    public string? SupabaseUrl { get; init; }

    /// <summary><c>supabaseAnonKey</c>: the project's anon (publishable) key, the gateway's <c>SUPABASE_ANON_KEY</c>; needs <c>supabaseUrl</c>.</summary>
    public string? SupabaseAnonKey { get; init; }

    /// <summary><c>supabaseAudience</c>: the <c>aud</c> the gateway requires of a session (<c>SUPABASE_AUDIENCE</c>; its default is <c>authenticated</c>); needs <c>supabaseUrl</c>.</summary>
    public string? SupabaseAudience { get; init; }

    /// <summary><c>supabaseJwtSecret=true</c>: the secret <c>/sfai/&lt;env&gt;/SUPABASE_JWT_SECRET</c> (the project's legacy HS256 secret), created empty and readable by the gateway.</summary>
    public bool SupabaseJwtSecret { get; init; }

    /// <summary><c>budgetMonthlyUsd</c> or <c>BUDGET_MONTHLY_USD</c>: what the whole gateway may spend per UTC month (its <c>BUDGET_MONTHLY_USD</c>); none by default.</summary>
    public decimal? BudgetMonthlyUsd { get; init; }

    /// <summary><c>dailySpendAlarmUsd</c>: an alarm when the gateway has spent this many US dollars or more in 24 hours; none by default.</summary>
    public decimal? DailySpendAlarmUsd { get; init; }

    /// <summary><c>alarmEmail</c>: an address that the alarms mail through an SNS topic; none by default.</summary>
    public string? AlarmEmail { get; init; }

    /// <summary><c>SfAi{Env}Stack</c>, the environment name with its first letter upper-cased: <c>prod</c> gives the seed's <c>SfAiProdStack</c>.</summary>
    public string StackName => $"SfAi{char.ToUpperInvariant(EnvironmentName[0])}{EnvironmentName[1..]}Stack";

    /// <summary>
    /// Reads the settings from the app's context (<c>app.Node.TryGetContext</c>), then from
    /// <paramref name="environment"/> where a setting allows it.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not one the deployment can use.</exception>
    public static DeploySettings From(Func<string, object?> context, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(environment);
        var defaults = new DeploySettings();
        string? Text(string name) => context(name) is { } value
            && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text.Trim() : null;
        string? TextOrEnvironment(string name, string variable) => Text(name) ?? (environment(variable) is { Length: > 0 } value ? value.Trim() : null);

        var settings = new DeploySettings
        {
            EnvironmentName = Text("environmentName") ?? defaults.EnvironmentName,
            RateLimitQpm = Number("rateLimitQpm", TextOrEnvironment("rateLimitQpm", "RATE_LIMIT_QPM"), defaults.RateLimitQpm),
            BurstLimit = Number("burstLimit", Text("burstLimit"), defaults.BurstLimit),
            AllowOrigins = TextOrEnvironment("allowOrigins", "ALLOW_ORIGINS") ?? defaults.AllowOrigins,
            LogUserText = Text("logUserText") ?? defaults.LogUserText,
            Streaming = Switch("streaming", Text("streaming")),
            NativeAot = Text("nativeAot") is { } nativeAot ? Switch("nativeAot", nativeAot) : (Text("architecture") ?? defaults.Architecture) != "arm64",
            Architecture = Text("architecture") ?? defaults.Architecture,
            LambdaPackagePath = Text("lambdaPackagePath"),
            ProvisionedConcurrency = Number("provisionedConcurrency", Text("provisionedConcurrency"), defaults.ProvisionedConcurrency),
            UploadConfig = Switch("uploadConfig", Text("uploadConfig")),
            ConfigPath = Text("configPath") ?? defaults.ConfigPath,
            AlarmEmail = Text("alarmEmail"),
            DailySpendAlarmUsd = Amount("dailySpendAlarmUsd", Text("dailySpendAlarmUsd")),
            SupabaseUrl = Text("supabaseUrl")?.TrimEnd('/'),
            SupabaseAnonKey = Text("supabaseAnonKey"),
            SupabaseAudience = Text("supabaseAudience"),
            SupabaseJwtSecret = Switch("supabaseJwtSecret", Text("supabaseJwtSecret")),
            BudgetMonthlyUsd = Amount("budgetMonthlyUsd", TextOrEnvironment("budgetMonthlyUsd", "BUDGET_MONTHLY_USD")),
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (!EnvironmentNamePattern().IsMatch(EnvironmentName))
        {
            throw new ArgumentException(
                $"environmentName '{EnvironmentName}' must start with a lower-case letter and hold only lower-case letters, digits and '-' (at most 20 characters).");
        }
        if (Architecture is not ("x86_64" or "arm64"))
        {
            throw new ArgumentException($"architecture '{Architecture}' is not one of: x86_64, arm64.");
        }
        if (!LogUserTextPattern().IsMatch(LogUserText))
        {
            throw new ArgumentException($"logUserText '{LogUserText}' is not one of: full, truncate:N, hash, off.");
        }
        if (SupabaseUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"supabaseUrl '{url}' is not an https URL (e.g. https://abcd.supabase.co).");
        }
        if (SupabaseUrl is null && (SupabaseAnonKey ?? SupabaseAudience) is not null)
        {
            throw new ArgumentException(
                $"{(SupabaseAnonKey is not null ? "supabaseAnonKey" : "supabaseAudience")} is given without supabaseUrl: the gateway would ignore it.");
        }
        if (AlarmEmail is { } email && !email.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"alarmEmail '{email}' is not a mail address.");
        }
    }

    private static int Number(string name, string? text, int fallback) => text is null
        ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a whole number ≥ 0.");

    /// <summary>US dollars &gt; 0 in digits and a decimal point only: <c>1,500</c> could be a thousand and a half or one and a half, so neither is guessed.</summary>
    private static decimal? Amount(string name, string? text) => text is null
        ? null
        : decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} '{text}' must be an amount of US dollars > 0 (e.g. 500 or 99.50).");

    private static bool Switch(string name, string? text) => text?.ToUpperInvariant() switch
    {
        null or "FALSE" => false,
        "TRUE" => true,
        _ => throw new ArgumentException($"{name} '{text}' is not one of: true, false."),
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex("^(full|hash|off|truncate:[0-9]+)$")]
    private static partial Regex LogUserTextPattern();
}
