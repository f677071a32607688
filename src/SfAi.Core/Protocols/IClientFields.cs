using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols;

/// <summary>
/// A request body an OpenAI upstream takes as the client sent it: its bytes and where each top-level field lies in them,
/// so the pass-through rewrite (<see cref="Providers.OpenAI.OpenAIRequestRewriter"/>) copies every field as written and
/// writes only <c>model</c>, <c>stream_options</c> and the alias's values.
/// </summary>
internal interface IClientFields
{
    ReadOnlySpan<byte> Json { get; }

    RequestField[] Fields { get; }

    bool Stream { get; }

    /// <summary>Whether the client asked for the usage chunk (<c>stream_options.include_usage</c>).</summary>
    bool ClientWantsUsage { get; }

    string NameOf(in RequestField field);

    bool IsNamed(in RequestField field, ReadOnlySpan<byte> utf8Name);
}
