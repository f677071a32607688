using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAICompletions;

/// <summary>
/// A legacy text completion request (<c>POST /v1/completions</c>): a <c>prompt</c>, and for fill-in-the-middle a
/// <c>suffix</c>. Checked once; the body goes upstream as the client sent it.
/// </summary>
public sealed class CompletionsRequest : PassThroughRequest
{
    internal CompletionsRequest(ReadOnlyMemory<byte> json, RequestField[] fields, string model, TextInputs prompt, bool stream, bool clientWantsUsage)
        : base(json, fields, model, prompt)
    {
        Stream = stream;
        ClientWantsUsage = clientWantsUsage;
    }

    public override WireProtocol Protocol => WireProtocol.OpenAICompletions;

    public override bool Stream { get; }

    public override bool ClientWantsUsage { get; }

    protected override string Endpoint => "POST /v1/completions";
}
