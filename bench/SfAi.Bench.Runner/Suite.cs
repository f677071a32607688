namespace SfAi.Bench.Runner;

/// <summary>Runs every part of the suite in order, each against freshly started servers where start-up matters.</summary>
internal sealed class Suite(BenchOptions options)
{
    private const int UpstreamPort = 18100;
    private const int GatewayPort = 18200;
    private const int PortkeyPort = 18300;
    private const int ForwarderPort = 18400;
    private static readonly int[] Concurrency = [1, 32, 128];
    private const double NominalGapMs = 10;
    public const string UnpacedDirect = "direct → fake (OpenAI), unpaced back-to-back";
    public const string UnpacedGateway = "gateway → fake (OpenAI pass-through), unpaced back-to-back";
    public const string Forwarder = "bare .NET forwarder → fake (OpenAI)";

    private static readonly Uri UpstreamChat = new($"http://127.0.0.1:{UpstreamPort}/v1/chat/completions");
    private static readonly Uri UpstreamMessages = new($"http://127.0.0.1:{UpstreamPort}/v1/messages");
    private static readonly Uri GatewayChat = new($"http://127.0.0.1:{GatewayPort}/v1/chat/completions");
    private static readonly Uri PortkeyChat = new($"http://127.0.0.1:{PortkeyPort}/v1/chat/completions");
    private static readonly Uri ForwarderChat = new($"http://127.0.0.1:{ForwarderPort}/v1/chat/completions");
    private static readonly Dictionary<string, string> PortkeyHeaders = new()
    {
        ["x-portkey-provider"] = "openai",
        ["x-portkey-custom-host"] = $"http://127.0.0.1:{UpstreamPort}/v1",
    };

    public async Task<Report> RunAsync()
    {
        var report = new Report(Environment.ProcessorCount, CpuModel(), options.Duration);
        using var client = Http.CreateClient();

        if (options.Runs("load") || options.Runs("streams") || options.Runs("memory"))
        {
            await using var upstream = ChildProcess.Start("fake upstream", "dotnet", [options.Upstream, "--urls", $"http://127.0.0.1:{UpstreamPort}"],
                new Dictionary<string, string>(), Log("upstream"));
            await Http.WaitUntilAnswersAsync(client, UpstreamChat, Bodies.OpenAI("gpt-4o-mini"), TimeSpan.FromSeconds(30));
            await using var forwarder = ChildProcess.Start("bare forwarder", "dotnet",
                [options.Upstream, "--urls", $"http://127.0.0.1:{ForwarderPort}", "--forward-to", $"http://127.0.0.1:{UpstreamPort}"],
                new Dictionary<string, string>(), Log("forwarder"));
            await Http.WaitUntilAnswersAsync(client, ForwarderChat, Bodies.OpenAI("gpt-4o-mini"), TimeSpan.FromSeconds(30));
            await RunAgainstUpstreamAsync(client, report, forwarder);
        }

        if (options.Runs("cold"))
        {
            report.ColdStarts.Add(await ColdStart.MeasureAsync("native AOT", options.Aot, [], options.ColdRuns, options.Work));
            if (options.Jit is { } jit)
            {
                report.ColdStarts.Add(await ColdStart.MeasureAsync("JIT", "dotnet", [jit], options.ColdRuns, options.Work));
            }
            Progress("cold starts done");
        }

        report.Micro.AddRange(MicroResults.Read(options.Micro));
        return report;
    }

    private async Task RunAgainstUpstreamAsync(HttpClient client, Report report, ChildProcess forwarder)
    {
        if (options.Runs("load") || options.Runs("streams"))
        {
            await using var gateway = await StartGatewayAsync(client);
            await Task.Delay(TimeSpan.FromSeconds(2));
            report.IdleRssMiB = gateway.Memory().Rss;
            Progress($"idle RSS {report.IdleRssMiB:0.0} MiB");

            await using var portkey = options.Portkey is null ? null : await StartPortkeyAsync(client);
            if (options.Runs("load"))
            {
                var load = new WrkLoad(options.Work, options.Duration);
                foreach (var connections in Concurrency)
                {
                    report.Load.Add(await load.RunAsync("direct → fake (OpenAI)", UpstreamChat, Bodies.OpenAI("gpt-4o-mini"), connections));
                    report.Load.Add(await load.RunAsync("gateway → fake (OpenAI pass-through)", GatewayChat, Bodies.OpenAI("bench-openai"), connections, gateway));
                    report.Load.Add(await load.RunAsync(Forwarder, ForwarderChat, Bodies.OpenAI("gpt-4o-mini"), connections, forwarder));
                    report.Load.Add(await load.RunAsync("direct → fake (Anthropic)", UpstreamMessages, Bodies.Anthropic("claude-sonnet-4-5"), connections));
                    report.Load.Add(await load.RunAsync("gateway → fake (Anthropic translation)", GatewayChat, Bodies.OpenAI("bench-anthropic"), connections, gateway));
                    if (portkey is not null)
                    {
                        report.Load.Add(await load.RunAsync("Portkey → fake (OpenAI)", PortkeyChat, Bodies.OpenAI("gpt-4o-mini"), connections, portkey, PortkeyHeaders));
                    }
                    Progress($"load at {connections} connections done");
                }
                await MeasureAgainstFloorAsync(load, report, gateway, forwarder);
                report.LoadPeakRssMiB = gateway.Memory().Peak;
            }

            if (options.Runs("streams"))
            {
                await MeasureStreamsAsync(client, report, portkey is not null);
                Progress("streams done");
            }
        }

        if (options.Runs("memory"))
        {
            await using var gateway = await StartGatewayAsync(client);
            if (report.IdleRssMiB == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                report.IdleRssMiB = gateway.Memory().Rss;
            }
            using var many = Http.CreateClient();
            report.OpenStreams = await OpenStreams.MeasureAsync(many, GatewayChat, Bodies.OpenAI("held-openai", stream: true), options.OpenStreams, gateway);
            Progress($"{report.OpenStreams.Open} open streams: RSS {report.OpenStreams.RssMiB:0.0} MiB");
        }
    }

    /// <summary>
    /// The gateway and the bare forwarder at 32 connections, run after each other in several rounds (the order swapped
    /// each round): on a machine whose speed drifts between runs, the median of the per-round ratios says more than one
    /// pair of runs.
    /// </summary>
    private async Task MeasureAgainstFloorAsync(WrkLoad load, Report report, ChildProcess gateway, ChildProcess forwarder)
    {
        for (var round = 0; round < options.FloorRounds; round++)
        {
            LoadResult gatewayRun, forwarderRun;
            if (round % 2 == 0)
            {
                gatewayRun = await load.RunAsync(Report.GatewayOpenAI, GatewayChat, Bodies.OpenAI("bench-openai"), 32, gateway);
                forwarderRun = await load.RunAsync(Forwarder, ForwarderChat, Bodies.OpenAI("gpt-4o-mini"), 32, forwarder);
            }
            else
            {
                forwarderRun = await load.RunAsync(Forwarder, ForwarderChat, Bodies.OpenAI("gpt-4o-mini"), 32, forwarder);
                gatewayRun = await load.RunAsync(Report.GatewayOpenAI, GatewayChat, Bodies.OpenAI("bench-openai"), 32, gateway);
            }
            report.FloorRounds.Add((gatewayRun, forwarderRun));
        }
        Progress($"{options.FloorRounds} alternating rounds against the forwarder done");
    }

    private async Task MeasureStreamsAsync(HttpClient client, Report report, bool withPortkey)
    {
        var paths = new List<(string Name, Uri Url, string Body, IReadOnlyDictionary<string, string>? Headers)>
        {
            ("direct → fake (OpenAI)", UpstreamChat, Bodies.OpenAI("paced-10-20", stream: true), null),
            ("gateway → fake (OpenAI pass-through)", GatewayChat, Bodies.OpenAI("paced-openai", stream: true), null),
            (Forwarder, ForwarderChat, Bodies.OpenAI("paced-10-20", stream: true), null),
            ("direct → fake (Anthropic)", UpstreamMessages, Bodies.Anthropic("paced-10-20", stream: true), null),
            ("gateway → fake (Anthropic translation)", GatewayChat, Bodies.OpenAI("paced-anthropic", stream: true), null),
            (UnpacedDirect, UpstreamChat, Bodies.OpenAI("gpt-4o-mini", stream: true), null),
            (UnpacedGateway, GatewayChat, Bodies.OpenAI("bench-openai", stream: true), null),
        };
        if (withPortkey)
        {
            paths.Add(("Portkey → fake (OpenAI)", PortkeyChat, Bodies.OpenAI("paced-10-20", stream: true), PortkeyHeaders));
        }
        var traces = paths.ToDictionary(p => p.Name, _ => new List<StreamTrace>());
        foreach (var path in paths.ToArray())
        {
            try
            {
                await StreamTiming.TraceAsync(client, path.Url, path.Body, path.Headers);
            }
            catch (HttpRequestException ex)
            {
                report.Notes.Add($"{path.Name}: streaming failed ({ex.Message}); left out of the stream table.");
                paths.Remove(path);
            }
        }
        for (var i = 0; i < options.Streams; i++)
        {
            foreach (var path in paths)
            {
                traces[path.Name].Add(await StreamTiming.TraceAsync(client, path.Url, path.Body, path.Headers));
            }
        }
        report.Streams.AddRange(paths.Select(p => StreamTiming.Summarise(p.Name, traces[p.Name],
            p.Name is UnpacedDirect or UnpacedGateway ? 0 : NominalGapMs)));
    }

    private async Task<ChildProcess> StartGatewayAsync(HttpClient client)
    {
        var gateway = ChildProcess.Start("gateway", options.Aot, ["--urls", $"http://127.0.0.1:{GatewayPort}"],
            new Dictionary<string, string>
            {
                ["MODEL_MAP_PATH"] = Path.Combine(AppContext.BaseDirectory, "config", "model_map.json"),
                ["AUTH_MODE"] = "none",
                ["BENCH_UPSTREAM_KEY"] = "sk-bench",
                ["LOG_FORMAT"] = "json",
                // As in Lambda, where the gateway keeps no SQLite ledger; the figures stay comparable with earlier runs.
                ["USAGE_STORE"] = "off",
            }, Log("gateway"));
        await Http.WaitUntilAnswersAsync(client, GatewayChat, Bodies.OpenAI("bench-openai"), TimeSpan.FromSeconds(30));
        await Http.WaitUntilAnswersAsync(client, GatewayChat, Bodies.OpenAI("bench-anthropic"), TimeSpan.FromSeconds(30));
        return gateway;
    }

    private async Task<ChildProcess> StartPortkeyAsync(HttpClient client)
    {
        var portkey = ChildProcess.Start("Portkey", "node", [options.Portkey!, $"--port={PortkeyPort}", "--headless"],
            new Dictionary<string, string> { ["NODE_ENV"] = "production" }, Log("portkey"));
        await Http.WaitUntilAnswersAsync(client, PortkeyChat, Bodies.OpenAI("gpt-4o-mini"), TimeSpan.FromSeconds(30), PortkeyHeaders);
        return portkey;
    }

    private string Log(string name) => Path.Combine(options.Work, $"{name}-{DateTime.UtcNow:HHmmss}.log");

    private static void Progress(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
