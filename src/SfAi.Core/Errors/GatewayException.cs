namespace SfAi.Core.Errors;

/// <summary>Carries a <see cref="GatewayError"/> to the boundary that writes it to the client.</summary>
public sealed class GatewayException : Exception
{
    public GatewayException(GatewayError error, Exception? inner = null)
        : base(error.Message, inner) => Error = error;

    public GatewayError Error { get; }
}
