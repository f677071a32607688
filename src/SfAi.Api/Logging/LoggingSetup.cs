using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using SfAi.Api.Configuration;

namespace SfAi.Api.Logging;

/// <summary>
/// Serilog, configured in code (no reflection-based settings): compact JSON on stdout, or readable text locally.
/// On a server, lines are written by a background writer (<see cref="BackgroundConsoleSink"/>); in Lambda, where one
/// invocation runs at a time and the process may be frozen as soon as it answers, each line is written before the
/// request goes on.
/// </summary>
internal static class LoggingSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// The logger, and where the lines the gateway renders itself go (<see cref="CompletionLogLine"/>): the same output
    /// as the logger's, and the extra sink when it takes lines; none with text logs, whose lines Serilog renders.
    /// </summary>
    public static (Logger Logger, IReadOnlyList<ILogLineSink> LineSinks) Create(GatewayOptions options, ILogEventSink? extraSink)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(options.LogLevel)
            .MinimumLevel.Override("Microsoft.AspNetCore", Max(options.LogLevel, LogEventLevel.Warning))
            // Off, not Warning: while this category is enabled at any level the host starts an Activity for every
            // request, and HttpClient continues it with a traceparent header on every upstream call (the client's
            // trace id sent on to the provider). Its start-up errors are logged again by the host and reported.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LevelAlias.Off)
            // The host's "Hosting failed to start" repeats, with its stack trace, the start-up failure Program reports once.
            .Filter.ByExcluding(e => e.MessageTemplate.Text == "Hosting failed to start")
            .MinimumLevel.Override("Microsoft.Extensions.Http", Max(options.LogLevel, LogEventLevel.Warning))
            .MinimumLevel.Override("System.Net.Http.HttpClient", Max(options.LogLevel, LogEventLevel.Warning))
            .Enrich.With<LambdaInvocationEnricher>();

        ITextFormatter formatter = options.JsonLogs
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
        var lineSinks = new List<ILogLineSink>(2);
        if (options.InLambda)
        {
            configuration = configuration.WriteTo.Console(formatter);
            lineSinks.Add(new StdoutLineSink());
        }
        else
        {
            var console = new BackgroundConsoleSink(formatter, Console.OpenStandardOutput());
            configuration = configuration.WriteTo.Sink(console);
            lineSinks.Add(console);
        }
        if (extraSink is not null)
        {
            configuration = configuration.WriteTo.Sink(extraSink);
            if (extraSink is ILogLineSink lines)
            {
                lineSinks.Add(lines);
            }
        }
        return (configuration.CreateLogger(), options.JsonLogs ? lineSinks : []);
    }

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;
}
