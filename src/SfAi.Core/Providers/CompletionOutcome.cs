using SfAi.Core.Errors;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers;

/// <summary>What a provider reports after it has answered the client.</summary>
/// <param name="Status">The HTTP status the client got.</param>
/// <param name="Usage">Tokens as the upstream reported them; <c>null</c> when it reported none.</param>
/// <param name="FinishReason">The (first choice's) finish reason.</param>
/// <param name="TimeToFirstEvent">For streams: when the first event went to the client, from the start of the call.</param>
/// <param name="CompletionText">The generated text, kept so the gateway can count tokens when <paramref name="Usage"/> is missing.</param>
/// <param name="StreamError">A failure after the stream had started; the client got it as an error event.</param>
public sealed record CompletionOutcome(
    int Status,
    TokenUsage? Usage,
    string? FinishReason,
    TimeSpan? TimeToFirstEvent,
    string? CompletionText,
    GatewayError? StreamError = null)
{
    /// <summary>The request parameters the provider left out under the alias's drop policy.</summary>
    public IReadOnlyList<string>? DroppedParameters { get; init; }
}
