using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SfAi.Api.Configuration;

namespace SfAi.Api.Logging;

/// <summary>Serilog, configured in code (no reflection-based settings): compact JSON on stdout, or readable text locally.</summary>
internal static class LoggingSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static Logger CreateLogger(GatewayOptions options, ILogEventSink? extraSink)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(options.LogLevel)
            .MinimumLevel.Override("Microsoft.AspNetCore", Max(options.LogLevel, LogEventLevel.Warning))
            .MinimumLevel.Override("Microsoft.Extensions.Http", Max(options.LogLevel, LogEventLevel.Warning))
            .MinimumLevel.Override("System.Net.Http.HttpClient", Max(options.LogLevel, LogEventLevel.Warning))
            .Enrich.With<LambdaInvocationEnricher>();

        configuration = options.JsonLogs
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (extraSink is not null)
        {
            configuration = configuration.WriteTo.Sink(extraSink);
        }
        return configuration.CreateLogger();
    }

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;
}
