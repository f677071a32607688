using SfAi.Core.Errors;

namespace SfAi.Core.Access.Supabase;

/// <summary>The 401 for a Supabase token that fails a check: OpenAI's <c>invalid_api_key</c>, naming the check, never the token.</summary>
public static class SessionErrors
{
    public const string KeyName = "supabase";

    public static GatewayException Refused(string check) =>
        new(new GatewayError(401, "invalid_request_error", "invalid_api_key", null,
            $"The Supabase access token was refused: {check}.", ErrorKinds.Unauthorized) { KeyName = KeyName });
}
