using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Serilog;
using Serilog.Core;
using SfAi.Api.Configuration;
using SfAi.Api.Endpoints;
using SfAi.Api.Logging;
using SfAi.Api.Metrics;
using SfAi.Api.Middleware;
using SfAi.Api.Pipeline;
using SfAi.Api.RateLimiting;
using SfAi.Api.Secrets;
using SfAi.Api.Access;
using SfAi.Core.Access;
using SfAi.Core.Access.Supabase;
using SfAi.Core.Budgets;
using SfAi.Core.Configuration;
using SfAi.Core.Logging;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.RateLimiting;
using SfAi.Core.Exchange;
using SfAi.Api.Exchange;
using SfAi.Core.Providers.Resilience;
using SfAi.Core.Providers.Anthropic;
using SfAi.Core.Providers.Echo;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Secrets;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Protocols.OpenAIResponses;
using SfAi.Core.Usage;
using SfAi.Core.Usage.Ledger;
using SfAi.Api.Usage;
using SfAi.Hosting.Lambda;

namespace SfAi.Api;

/// <summary>Composes the gateway: services, middleware in the order of the request path, endpoints.</summary>
public static class GatewayApplication
{
    /// <summary>
    /// Settings come from the environment; watching appsettings files for changes would put a watcher on the content
    /// root (the working directory, recursively) and cost a sixth of the start-up.
    /// </summary>
    private const string NoConfigFileWatching = "--hostBuilder:reloadConfigOnChange=false";

    /// <param name="args">Command-line arguments; <c>--KEY=value</c> sets any setting, as an environment variable does.</param>
    /// <param name="extraLogSink">A further Serilog sink (tests capture events with it).</param>
    /// <param name="configureBuilder">Runs last on the builder, before the app is built (hosting choices, test doubles).</param>
    public static WebApplication Create(string[] args, ILogEventSink? extraLogSink = null, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateSlimBuilder([.. args, NoConfigFileWatching]);
        var options = GatewayOptions.From(builder.Configuration, builder.Environment.IsDevelopment());
        var (logger, logLines) = LoggingSetup.Create(options, extraLogSink);

        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        if (options.UsageStore != UsageStore.Off)
        {
            builder.Services.AddSingleton<IUsageLedger>(provider => UsageLedger(provider, options));
        }
        builder.Services.AddSingleton(provider => new GatewayEventLog(logger, logLines, provider.GetRequiredService<TimeProvider>(),
            provider.GetService<IUsageLedger>(),
            options.EmfMetrics ? new EmfMetrics(Console.Out, options.MetricsNamespace, options.EnvironmentName, provider.GetRequiredService<TimeProvider>()) : null));
        builder.Services.AddGatewayCore(options);
        builder.Services.AddSingleton<ExchangeRunner>();
        builder.Services.AddSingleton<ChatCompletionsEndpoint>();
        builder.Services.AddSingleton<EmbeddingsEndpoint>();
        builder.Services.AddSingleton<CompletionsEndpoint>();
        builder.Services.AddSingleton<ResponsesEndpoint>();
        builder.Services.AddSingleton<StoredResponsesEndpoint>();
        builder.Services.AddSingleton<MessagesEndpoint>();
        builder.Services.AddHostedService<ConfigRefreshService>();
        builder.Services.AddCors();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider, GatewayCorsPolicyProvider>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + 1);
        builder.UseLambdaHosting();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UseDirect<RequestIdMiddleware>(m => m.InvokeAsync);
        if (options.UsageStore != UsageStore.Off)
        {
            app.UseDirect<LedgerFlushMiddleware>(m => m.InvokeAsync);
        }
        app.UseDirect<ErrorBoundary>(m => m.InvokeAsync);
        app.UseGatewayCors();
        app.UseDirect<AccessMiddleware>(m => m.InvokeAsync);
        app.UseDirect<RateLimitMiddleware>(m => m.InvokeAsync);
        app.RunGatewayEndpoints();
        return app;
    }

    /// <summary>The shared counters behind their failure policy; counters in memory need none.</summary>
    private static IRateLimitStore Guarded(IServiceProvider provider, GatewayOptions options, RateLimitStoreGuardOptions guard)
    {
        var store = provider.GetRequiredService<CounterStores>().Store;
        return options.SharedRateLimits
            ? new GuardedRateLimitStore(store, guard, provider.GetRequiredService<TimeProvider>(),
                new RateLimitStoreHealthLog(provider.GetRequiredService<GatewayEventLog>(), provider.GetRequiredService<TimeProvider>(), RateLimitStoreHealthLog.DefaultInterval))
            : store;
    }

    /// <summary>The ledger of <c>USAGE_STORE</c>; its failures go to the event log, asked for only when one happens.</summary>
    private static IUsageLedger UsageLedger(IServiceProvider provider, GatewayOptions options)
    {
        var time = provider.GetRequiredService<TimeProvider>();
        void Report(string reason, long lostRows) => provider.GetRequiredService<GatewayEventLog>().UsageLedgerUnavailable(reason, lostRows);
        return options.UsageStore == UsageStore.DynamoDb
            ? new DynamoDbUsageLedger(DynamoDbClient(options, UsageLedgerTimeout), options.UsageTable, Report, time)
            : new SqliteUsageLedger(options.UsageDbPath, Report, time);
    }

    /// <summary>The ledger is written off the request path, but in Lambda before the invocation ends: a slow write delays that end.</summary>
    private static readonly TimeSpan UsageLedgerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The one counter store the guarded views share.</summary>
    private sealed record CounterStores(IRateLimitStore Store);

    private static void AddGatewayCore(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton<IAmazonS3>(_ => options.S3Endpoint is { } endpoint
            ? new AmazonS3Client(new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true })
            : new AmazonS3Client());
        services.AddSingleton(provider => ModelMapParser.Loader(
            ConfigSource(provider, options.ModelMapS3Uri, options.ModelMapPath), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new ReloadableConfig<ApiKeySet>(
            "keys file", ConfigSource(provider, options.ApiKeysS3Uri, options.ApiKeysPath),
            (json, source) => ApiKeySetParser.Parse(json, source), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISecretStore>(provider => options.SecretsFromSsm
            ? new SsmSecretStore(
                new AmazonSimpleSystemsManagementClient(SsmConfig(options)),
                new EnvironmentSecretStore(), provider.GetRequiredService<TimeProvider>(), options.SecretsCacheTtl)
            : new EnvironmentSecretStore());
        services.AddSingleton(provider => Callers(provider, options));
        services.AddSingleton<TokenCounter>();
        services.AddSingleton(options.UserText);
        services.AddSingleton<CompletionRecordBuilder>();
        // One store of counters for the per-minute limits and the budgets, each behind its own failure policy.
        services.AddSingleton(provider => options.SharedRateLimits
            ? new CounterStores(new DynamoDbRateLimitStore(DynamoDbClient(options, options.RateLimitStoreGuard.Timeout), options.RateLimitTable))
            : new CounterStores(new InMemoryRateLimitStore(provider.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IRateLimitStore>(provider => Guarded(provider, options, options.RateLimitStoreGuard));
        services.AddSingleton(provider => new BudgetGuard(
            Guarded(provider, options, options.RateLimitStoreGuard with { OnFailure = options.BudgetStoreFailure }),
            provider.GetRequiredService<TimeProvider>(), options.BudgetMonthlyUsd));
        services.AddSingleton<IUsageGuard>(provider => provider.GetRequiredService<BudgetGuard>());
        services.AddSingleton(provider => new RateLimiter(
            provider.GetRequiredService<IRateLimitStore>(), provider.GetRequiredService<TimeProvider>(), options.RateLimitQpm));

        services.AddSingleton<IUsageGuard>(provider => new TokenLimitGuard(provider.GetRequiredService<RateLimiter>()));
        services.AddSingleton<IProtocolCodec, OpenAIChatCodec>();
        services.AddSingleton<IProtocolCodec, ResponsesCodec>();
        services.AddSingleton<IProtocolCodec, MessagesCodec>();
        services.AddSingleton<ProviderResilience>();
        services.AddSingleton(provider =>
        {
            var http = UpstreamConnections.CreateInvoker();
            var secrets = provider.GetRequiredService<ISecretStore>();
            var resilience = provider.GetRequiredService<ProviderResilience>();
            var time = provider.GetRequiredService<TimeProvider>();
            var upstream = new ProviderHttp(http, secrets, resilience, time, options.MaxUpstreamEventBytes);
            var openAI = new OpenAIChatProvider(upstream);
            return new ProviderRegistry(new Dictionary<ProviderType, IChatProvider>
            {
                [ProviderType.OpenAI] = new OpenAIChatProvider(upstream, speaksResponses: true),
                [ProviderType.OpenAICompatible] = openAI,
                [ProviderType.Anthropic] = new AnthropicChatProvider(upstream),
                [ProviderType.Echo] = new EchoChatProvider(time),
            });
        });
    }

    /// <summary>
    /// Gateway keys, and Supabase sessions when <c>SUPABASE_URL</c> is set: its JWKS fetched by one client, the legacy
    /// JWT secret from <c>SUPABASE_JWT_SECRET</c> or, on AWS, the secret <c>/sfai/&lt;env&gt;/SUPABASE_JWT_SECRET</c>.
    /// </summary>
    private static CallerAuthenticator Callers(IServiceProvider provider, GatewayOptions options)
    {
        var keys = provider.GetRequiredService<ReloadableConfig<ApiKeySet>>();
        var time = provider.GetRequiredService<TimeProvider>();
        if (options.Supabase is not { } project)
        {
            return new CallerAuthenticator(keys, null, null, time);
        }
        var secrets = provider.GetRequiredService<ISecretStore>();
        var secretReference = new SecretReference(null, $"/sfai/{options.EnvironmentName}/SUPABASE_JWT_SECRET");
        Func<CancellationToken, ValueTask<string?>> legacySecret = options.SupabaseJwtSecret is { } secret
            ? _ => ValueTask.FromResult<string?>(secret)
            : options.SecretsFromSsm
                ? cancellationToken => secrets.GetAsync(secretReference, cancellationToken)
                : _ => ValueTask.FromResult<string?>(null);
        var signingKeys = new SigningKeyCache(new HttpClient(), project.JwksUri, time);
        return new CallerAuthenticator(keys, project, new SessionTokenValidator(project, signingKeys, legacySecret, time), time);
    }

    /// <summary>S3 when a URI is configured (on AWS), else the local file.</summary>
    private static IConfigSource ConfigSource(IServiceProvider provider, string? s3Uri, string path) =>
        s3Uri is null ? new FileConfigSource(path) : new S3ConfigSource(provider.GetRequiredService<IAmazonS3>(), s3Uri);

    /// <summary>Short timeouts: a secret already read keeps serving through an SSM outage, so waiting long gains nothing.</summary>
    private static AmazonSimpleSystemsManagementConfig SsmConfig(GatewayOptions options)
    {
        var config = new AmazonSimpleSystemsManagementConfig { Timeout = TimeSpan.FromSeconds(2), MaxErrorRetry = 1 };
        if (options.SsmEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        return config;
    }

    /// <summary>One retry at most, each attempt within <paramref name="timeout"/>: the caller decides what a slow store costs.</summary>
    internal static AmazonDynamoDBClient DynamoDbClient(GatewayOptions options, TimeSpan timeout)
    {
        var config = new AmazonDynamoDBConfig { Timeout = timeout, MaxErrorRetry = 1 };
        if (options.DynamoDbEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        return new AmazonDynamoDBClient(config);
    }
}
