using System.Security.Cryptography;

namespace SfAi.Core.Access.Supabase;

/// <summary>One public key of the project's JWKS, and the one algorithm it verifies (ES256 on P-256, or RS256).</summary>
public sealed class SigningKey
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private SigningKey(string keyId, string algorithm, ECDsa? ec, RSA? rsa)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _ec = ec;
        _rsa = rsa;
    }

    public string KeyId { get; }

    /// <summary><c>ES256</c> or <c>RS256</c>: a token naming any other <c>alg</c> is never verified with this key.</summary>
    public string Algorithm { get; }

    public static SigningKey Es256(string keyId, ECParameters parameters) => new(keyId, "ES256", ECDsa.Create(parameters), null);

    public static SigningKey Rs256(string keyId, RSAParameters parameters)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return new SigningKey(keyId, "RS256", null, rsa);
    }

    public bool Verify(byte[] signingInput, byte[] signature) => _ec is not null
        ? _ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
