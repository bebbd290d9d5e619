using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>
/// A peer's X.509 certificate whose TLS 1.3 CertificateVerify signatures with ECDSA (P-256/P-384) or
/// RSASSA-PSS (rsaEncryption keys) are checked by .NET (<see cref="DotNetVerifier"/>), after BouncyCastle's
/// own checks of the key's type and usage for the scheme; every other scheme and TLS 1.2 stay BouncyCastle's.
/// </summary>
internal sealed class DotNetVerifyingCertificate(BcTlsCrypto crypto, byte[] encoding) : BcTlsCertificate(crypto, encoding)
{
    public override Tls13Verifier CreateVerifier(int signatureScheme)
    {
        // Validates the key against the scheme (type, key usage) and throws as BouncyCastle always does.
        var managed = base.CreateVerifier(signatureScheme);
        var spki = SubjectPublicKeyInfo.GetEncoded();
        try
        {
            return DotNet(signatureScheme, spki) ?? managed;
        }
        catch (CryptographicException)
        {
            // A key BouncyCastle takes and .NET does not: BouncyCastle verifies it.
            return managed;
        }
    }

    private static DotNetVerifier? DotNet(int signatureScheme, byte[] spki)
    {
        switch (signatureScheme)
        {
            case SignatureScheme.ecdsa_secp256r1_sha256:
            case SignatureScheme.ecdsa_secp384r1_sha384:
            {
                var key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(spki, out _);
                return new DotNetVerifier(key, signatureScheme == SignatureScheme.ecdsa_secp256r1_sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
            }
            case SignatureScheme.rsa_pss_rsae_sha256:
            case SignatureScheme.rsa_pss_rsae_sha384:
            case SignatureScheme.rsa_pss_rsae_sha512:
            {
                var key = RSA.Create();
                key.ImportSubjectPublicKeyInfo(spki, out _);
                return new DotNetVerifier(key, signatureScheme switch
                {
                    SignatureScheme.rsa_pss_rsae_sha256 => HashAlgorithmName.SHA256,
                    SignatureScheme.rsa_pss_rsae_sha384 => HashAlgorithmName.SHA384,
                    _ => HashAlgorithmName.SHA512,
                });
            }
            default:
                return null;
        }
    }
}
