namespace SfAi.Bench.Upstream;

/// <summary><c>POST /v1/chat/completions</c>, shaped like the captured OpenAI fixtures.</summary>
internal static class OpenAIFake
{
    private static readonly byte[] Completion =
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1727889370,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today? This answer is a fixed one from the benchmark upstream.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":212,"completion_tokens":19,"total_tokens":231,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"system_fingerprint":"fp_f85bea6784"}"""u8.ToArray();

    private static readonly byte[] RoleChunk =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1727889370,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_f85bea6784\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"u8.ToArray();

    private static readonly byte[] ContentChunk =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1727889370,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_f85bea6784\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"u8.ToArray();

    private static readonly byte[] FinishChunk =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1727889370,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_f85bea6784\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"u8.ToArray();

    private static readonly byte[] UsageChunk =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1727889370,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_f85bea6784\",\"choices\":[],\"usage\":{\"prompt_tokens\":212,\"completion_tokens\":19,\"total_tokens\":231,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n"u8.ToArray();

    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static async Task HandleAsync(HttpContext context)
    {
        var request = await UpstreamRequest.ReadAsync(context.Request.BodyReader, context.RequestAborted);
        if (!request.Stream)
        {
            await FakeResponse.WriteJsonAsync(context, Completion);
            return;
        }

        var events = new FakeEventStream(context, request.GapMilliseconds);
        await events.StartAsync(RoleChunk);
        for (var i = 0; i < request.Chunks; i++)
        {
            await events.PacedAsync(ContentChunk);
        }
        await events.NowAsync(FinishChunk);
        if (request.IncludeUsage)
        {
            await events.NowAsync(UsageChunk);
        }
        await events.NowAsync(Done);
    }
}
