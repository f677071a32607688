using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using SfAi.Api.Tests.Support;
using SfAi.Core.Tests.Fuzz;

namespace SfAi.Api.Tests.Fuzz;

/// <summary>
/// Random bodies POSTed to a real gateway (echo and a pass-through alias against a fake upstream) over one keep-alive
/// connection: every answer is a 200 or a 4xx in OpenAI's error shape, never a 500, and the connection keeps serving.
/// </summary>
public sealed class GatewayFuzzTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public void Random_bodies_get_a_200_or_a_well_formed_4xx_on_one_connection()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler) { BaseAddress = _gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
        var bodies = Gen.Frequency(
            (1, FuzzInputs.ArbitraryBytes),
            (2, FuzzInputs.RandomRequest("echo", "frontend").Select(r => { r["stream"] = false; return Encoding.UTF8.GetBytes(r.ToJsonString()); })));
        bodies.Sample(body =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = http.PostAsync("/v1/chat/completions", content, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            Assert.True(status == 200 || status is >= 400 and < 500, $"status {status}");
            if (status != 200)
            {
                Post.ErrorAsync(response).GetAwaiter().GetResult();
            }
        }, iter: int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n / 10 : 200, threads: 1, print: FuzzInputs.Show);
    }
}
