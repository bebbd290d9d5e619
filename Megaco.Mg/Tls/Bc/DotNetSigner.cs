using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Megaco.Mg.Tls;

/// <summary>
/// The MG's handshake signature (CertificateVerify, RFC 8446 §4.4.3; TLS 1.2 ServerKeyExchange and
/// CertificateVerify, RFC 5246 §7.4.3/§7.4.8) by .NET's key (OpenSSL underneath) instead of BouncyCastle's
/// managed arithmetic: an RSA-2048 signature costs a fraction. BouncyCastle hashes the signed content with
/// the scheme's hash (SHA-256 for every scheme <see cref="BcTls.Signer"/> picks) and hands over the hash.
/// </summary>
internal sealed class DotNetSigner(Certificate certificate, SignatureAndHashAlgorithm algorithm, AsymmetricAlgorithm key) : TlsCredentialedSigner
{
    public Certificate Certificate => certificate;

    public SignatureAndHashAlgorithm SignatureAndHashAlgorithm => algorithm;

    /// <summary>Null: BouncyCastle computes the hash and calls <see cref="GenerateRawSignature"/>.</summary>
    public TlsStreamSigner? GetStreamSigner() => null;

    public byte[] GenerateRawSignature(byte[] hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes || algorithm.Hash is not (Org.BouncyCastle.Tls.HashAlgorithm.sha256 or Org.BouncyCastle.Tls.HashAlgorithm.Intrinsic))
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, "the MG signs with SHA-256 only");
        }
        return key switch
        {
            // RFC 8446 §4.2.3: ECDSA signatures are DER-encoded ECDSA-Sig-Value (RFC 3279 §2.2.3).
            ECDsa ecdsa => ecdsa.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence),
            // RFC 8446 §4.2.3: RSASSA-PSS with a salt as long as the digest, which is .NET's PSS.
            RSA rsa when algorithm.Signature == SignatureAlgorithm.rsa_pss_rsae_sha256 => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            RSA rsa => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new TlsFatalAlert(AlertDescription.internal_error, "unsupported MG key"),
        };
    }
}
