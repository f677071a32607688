using SfAi.Core.Access.Supabase;

namespace SfAi.Core.Tests.Access;

/// <summary>A bearer is taken for a Supabase token only when it has a JWT's shape; gateway keys never do.</summary>
public sealed class SessionTokenTests
{
    private const string Header = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0"; // {"alg":"ES256","kid":"k1","typ":"JWT"}
    private const string Payload = "eyJzdWIiOiJ1MSJ9"; // {"sub":"u1"}

    [Theory]
    [InlineData(Header + "." + Payload + ".c2ln")]
    [InlineData(Header + "." + Payload + ".")]
    public void Takes_three_base64url_segments_with_a_JSON_header_for_a_token(string value) =>
        Assert.True(SessionToken.LooksLikeJwt(value));

    [Theory]
    [InlineData("sk-sfai-alice-0123456789abcdef")]
    [InlineData("sb_publishable_abc123")]
    [InlineData("a.b.c")]
    [InlineData(Header + "." + Payload)]
    [InlineData(Header + "." + Payload + ".c2ln.c2ln")]
    [InlineData("eyJ0eXAiOiJKV1QifQ." + Payload + ".c2ln")] // a header without 'alg'
    [InlineData("not base64!." + Payload + ".c2ln")]
    public void Leaves_anything_else_a_gateway_key(string value) =>
        Assert.False(SessionToken.LooksLikeJwt(value));

    [Fact]
    public void Reads_the_algorithm_and_key_id_from_the_header()
    {
        var token = SessionToken.TryParse(Header + "." + Payload + ".c2ln")!;

        Assert.Equal(("ES256", "k1"), (token.Algorithm, token.KeyId));
        Assert.Equal("sig"u8.ToArray(), token.Signature);
    }
}
