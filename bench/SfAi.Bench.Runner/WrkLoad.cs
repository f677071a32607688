using System.Diagnostics;
using System.Globalization;

namespace SfAi.Bench.Runner;

internal sealed record LoadResult(string Target, int Connections, double RequestsPerSecond, double P50Ms, double P99Ms, double P999Ms,
    long Errors, double GatewayCpuMicrosecondsPerRequest);

/// <summary>Non-stream load with wrk (one thread, keep-alive): requests/s and latency percentiles from wrk's own histogram.</summary>
internal sealed class WrkLoad(string workDirectory, TimeSpan duration)
{
    private const string Script = """
        local f = io.open(os.getenv("BENCH_BODY"), "r"); wrk.body = f:read("*a"); f:close()
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer sk-bench"
        for name, value in string.gmatch(os.getenv("BENCH_HEADERS") or "", "([^=;]+)=([^;]+)") do wrk.headers[name] = value end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
            e.connect + e.read + e.write + e.timeout, e.status,
            latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
        end
        """;

    public async Task<LoadResult> RunAsync(string target, Uri url, string body, int connections,
        ChildProcess? measured = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var script = Path.Combine(workDirectory, "post.lua");
        await File.WriteAllTextAsync(script, Script);
        var bodyFile = Path.Combine(workDirectory, $"body-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bodyFile, body);
        var headerText = string.Join(';', (headers ?? new Dictionary<string, string>()).Select(h => $"{h.Key}={h.Value}"));

        string line;
        TimeSpan cpu;
        try
        {
            await RunWrkAsync(url, connections, TimeSpan.FromSeconds(1), script, bodyFile, headerText);
            var cpuBefore = measured?.CpuTime();
            line = await RunWrkAsync(url, connections, duration, script, bodyFile, headerText);
            cpu = measured is null ? TimeSpan.Zero : measured.CpuTime() - cpuBefore!.Value;
        }
        finally
        {
            File.Delete(bodyFile);
        }

        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var requests = f[0];
        return new LoadResult(target, connections, requests / (f[1] / 1e6), f[4] / 1000, f[5] / 1000, f[6] / 1000,
            (long)(f[2] + f[3]), requests == 0 ? 0 : cpu.TotalMicroseconds / requests);
    }

    private static async Task<string> RunWrkAsync(Uri url, int connections, TimeSpan length, string script, string bodyFile, string headers)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{(int)length.TotalSeconds}s", "--timeout", "10s", "-s", script, url.ToString() })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["BENCH_BODY"] = bodyFile;
        info.Environment["BENCH_HEADERS"] = headers;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result: {output} {await process.StandardError.ReadToEndAsync()}");
    }
}
