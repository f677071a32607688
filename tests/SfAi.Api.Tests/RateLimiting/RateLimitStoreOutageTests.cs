using System.Net;
using System.Net.Sockets;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.RateLimiting;

/// <summary>
/// The shared store (dynalite) stops in the middle of a run: open serves uncounted, closed refuses with 503; a store that
/// never answers costs the first request its timeout and the following ones nothing while the store rests.
/// </summary>
public sealed class RateLimitStoreOutageTests
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";

    private static async Task<(Dynalite Dynamo, TestGateway Gateway)> StartAsync(int qpm, params string[] settings)
    {
        var dynamo = new Dynalite();
        await dynamo.InitializeAsync();
        var table = await dynamo.CreateTableAsync();
        var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly,
        [
            $"--RATE_LIMIT_QPM={qpm}", "--RATE_LIMIT_STORE=dynamodb", $"--RATE_LIMIT_TABLE={table}",
            $"--AWS_ENDPOINT_URL_DYNAMODB={dynamo.Endpoint.AbsoluteUri}",
            // The first, counted request must not time out on a loaded machine; a stopped store refuses at once.
            "--RATE_LIMIT_STORE_TIMEOUT_MS=10000", .. settings,
        ]);
        return (dynamo, gateway);
    }

    [Fact]
    public async Task Open_by_default_serves_uncounted_and_logs_the_outage_once()
    {
        var (dynamo, gateway) = await StartAsync(qpm: 2);
        await using var _ = dynamo;
        await using var __ = gateway;

        var counted = await Post.JsonAsync(gateway.Http, Hello);
        dynamo.Stop();
        var duringOutage = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            duringOutage.Add(await Post.JsonAsync(gateway.Http, Hello));
        }

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.Equal("1", Assert.Single(counted.Headers.GetValues("x-ratelimit-remaining-requests")));
        Assert.All(duringOutage, response =>
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("x-ratelimit-remaining-requests"));
        });
        var outage = Assert.Single(gateway.Logs.Events("rate_limit_store_unavailable"));
        Assert.Equal("open", outage.GetProperty("onFailure").GetString());
        Assert.Equal(1, outage.GetProperty("missedCalls").GetInt64());
        Assert.False(string.IsNullOrEmpty(outage.GetProperty("reason").GetString()));
        Assert.Equal(5, (await gateway.Logs.WaitForAsync("chat_completion", 5)).Count);
        Assert.Empty(gateway.Logs.Events("llm_error"));
    }

    [Fact]
    public async Task Closed_refuses_with_503_in_OpenAI_shape_and_logs_an_llm_error()
    {
        var (dynamo, gateway) = await StartAsync(qpm: 100, "--RATE_LIMIT_STORE_FAILURE=closed");
        await using var _ = dynamo;
        await using var __ = gateway;

        var counted = await Post.JsonAsync(gateway.Http, Hello);
        dynamo.Stop();
        var refused = await Post.JsonAsync(gateway.Http, Hello);
        var error = await Post.ErrorAsync(refused);

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("rate_limit_store_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains("rate-limit store", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("rate_limit_store_unavailable", logged.GetProperty("errorType").GetString());
        Assert.Equal("closed", Assert.Single(gateway.Logs.Events("rate_limit_store_unavailable")).GetProperty("onFailure").GetString());
    }

    [Fact]
    public async Task A_store_that_never_answers_costs_a_request_no_more_than_the_timeout()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var connections = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                connections.Add(await blackHole.AcceptTcpClientAsync(TestContext.Current.CancellationToken));
            }
        }, TestContext.Current.CancellationToken);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly,
            "--RATE_LIMIT_QPM=2", "--RATE_LIMIT_STORE=dynamodb", "--RATE_LIMIT_STORE_TIMEOUT_MS=200",
            $"--AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/");

        var first = await Post.JsonAsync(gateway.Http, Hello);
        var triedByFirst = connections.Count;
        var later = new[] { await Post.JsonAsync(gateway.Http, Hello), await Post.JsonAsync(gateway.Http, Hello) };

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(later, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.InRange(triedByFirst, 1, 2);
        Assert.Equal(triedByFirst, connections.Count);
        var outage = Assert.Single(gateway.Logs.Events("rate_limit_store_unavailable"));
        Assert.False(string.IsNullOrEmpty(outage.GetProperty("reason").GetString()));
        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }
}
