using System.Text.Json.Nodes;

namespace SfAi.Core.Chat;

/// <summary>
/// An OpenAI chat completion request, parsed once: the full JSON (every field the client sent, known or not)
/// plus the few values the gateway itself acts on.
/// </summary>
public sealed class ChatRequest
{
    internal ChatRequest(JsonObject body, string model, bool stream, bool clientWantsUsage, JsonArray messages)
    {
        Body = body;
        Model = model;
        Stream = stream;
        ClientWantsUsage = clientWantsUsage;
        Messages = messages;
    }

    /// <summary>The request as the client sent it. Providers copy it; nothing mutates it.</summary>
    public JsonObject Body { get; }

    /// <summary>The alias the client asked for.</summary>
    public string Model { get; }

    public bool Stream { get; }

    /// <summary>Whether the client asked for the usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool ClientWantsUsage { get; }

    public JsonArray Messages { get; }
}
