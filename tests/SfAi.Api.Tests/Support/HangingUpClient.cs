using System.Text;

namespace SfAi.Api.Tests.Support;

/// <summary>What many clients do with a stream: read events until <c>[DONE]</c>, then close the connection without reading on.</summary>
internal static class HangingUpClient
{
    private static async Task ReadUntilDoneAndHangUpAsync(Uri gatewayV1, string model)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gatewayV1, "v1/chat/completions"))
        {
            Content = new StringContent($$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && line != "data: [DONE]")
        {
        }
    }

    /// <summary>
    /// Two streamed calls, each hung up on after <c>[DONE]</c> while the upstream (replaying <paramref name="fixture"/>)
    /// ends its body a little later; returns how many upstream connections they used.
    /// </summary>
    public static async Task<int> UpstreamConnectionsForTwoHangUpsAsync(FakeUpstream upstream, Uri gatewayV1, string fixture, string model)
    {
        var bodyEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.Respond = EndingLate(Replay.StreamFixture(fixture), bodyEnded);

        await ReadUntilDoneAndHangUpAsync(gatewayV1, model);
        await bodyEnded.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        await ReadUntilDoneAndHangUpAsync(gatewayV1, model);

        return upstream.Requests.Select(r => r.ConnectionId).Distinct().Count();
    }

    /// <summary>An upstream answer that ends its body a little after its last event, once <paramref name="bodyEnded"/> is set.</summary>
    private static Func<Microsoft.AspNetCore.Http.HttpContext, Task> EndingLate(Func<Microsoft.AspNetCore.Http.HttpContext, Task> replay, TaskCompletionSource bodyEnded) =>
        async context =>
        {
            await replay(context);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(200, context.RequestAborted);
            bodyEnded.TrySetResult();
        };
}
