namespace SfAi.Bench.Upstream;

/// <summary><c>POST /v1/messages</c>, shaped like the captured Anthropic fixtures.</summary>
internal static class AnthropicFake
{
    private static readonly byte[] Message =
        """{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! How can I assist you today? This answer is a fixed one from the benchmark upstream."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":212,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":19,"service_tier":"standard"}}"""u8.ToArray();

    private static readonly byte[] MessageStart =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":212,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"u8.ToArray();

    private static readonly byte[] Delta =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n"u8.ToArray();

    private static readonly byte[] End =
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":19}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8.ToArray();

    public static async Task HandleAsync(HttpContext context)
    {
        var request = await UpstreamRequest.ReadAsync(context.Request.BodyReader, context.RequestAborted);
        if (!request.Stream)
        {
            await FakeResponse.WriteJsonAsync(context, Message);
            return;
        }

        var events = new FakeEventStream(context, request.GapMilliseconds);
        await events.StartAsync(MessageStart);
        for (var i = 0; i < request.Chunks; i++)
        {
            await events.PacedAsync(Delta);
        }
        await events.NowAsync(End);
    }
}
