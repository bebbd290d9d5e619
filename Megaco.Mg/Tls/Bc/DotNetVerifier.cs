using System.Security.Cryptography;
using Org.BouncyCastle.Tls.Crypto;

namespace Megaco.Mg.Tls;

/// <summary>
/// Checks the peer's TLS 1.3 CertificateVerify (RFC 8446 §4.4.3) with .NET's public key (OpenSSL underneath):
/// BouncyCastle writes the signed content into <see cref="Stream"/>, then hands over the signature. Used by
/// <see cref="DotNetVerifyingCertificate"/> for the schemes it names; anything else stays BouncyCastle's.
/// </summary>
internal sealed class DotNetVerifier(AsymmetricAlgorithm key, HashAlgorithmName hash) : Tls13Verifier
{
    /// <summary>RFC 8446 §4.4.3: 64 spaces, a context string, a zero and a transcript hash of at most 64 octets.</summary>
    private const int MaxContent = 64 + 34 + 1 + 64;

    private readonly MemoryStream _content = new(MaxContent);

    public Stream Stream => _content;

    public bool VerifySignature(byte[] signature)
    {
        using (key)
        {
            // BouncyCastle has closed the stream by now; ToArray still reads it.
            var content = _content.ToArray();
            if (content.Length > MaxContent)
            {
                return false;
            }
            try
            {
                return key switch
                {
                    ECDsa ecdsa => ecdsa.VerifyData(content, signature, hash, DSASignatureFormat.Rfc3279DerSequence),
                    RSA rsa => rsa.VerifyData(content, signature, hash, RSASignaturePadding.Pss),
                    _ => false,
                };
            }
            catch (CryptographicException)
            {
                // A malformed signature from the peer is a failed verification, not a crash.
                return false;
            }
        }
    }
}
