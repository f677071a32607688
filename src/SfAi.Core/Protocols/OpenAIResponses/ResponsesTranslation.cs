using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>A Responses API request as the pivot, with what the way back needs and what could not go.</summary>
/// <param name="Chat">The request as OpenAI chat.</param>
/// <param name="NamespacedTools">Each flattened namespace function's qualified name → its namespace and own name.</param>
/// <param name="Dropped">What the pivot left out (built-in tools, items it cannot express), for the log.</param>
/// <param name="HasInput">Whether the client sent any conversation (a follow-up by <c>previous_response_id</c> alone has none).</param>
public sealed record ResponsesTranslation(
    ChatRequest Chat,
    IReadOnlyDictionary<string, QualifiedTool> NamespacedTools,
    IReadOnlyList<string> Dropped,
    bool HasInput);

/// <summary>A function of a <c>namespace</c> tool, known upstream by its qualified name.</summary>
public sealed record QualifiedTool(string Namespace, string Name);
