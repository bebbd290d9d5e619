using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>The pieces the BouncyCastle server and client peers share.</summary>
internal static class BcTls
{
    /// <summary>
    /// The MG's certificates as BouncyCastle parsed them, once per certificate rather than once per handshake:
    /// the parse costs CPU and every established session would keep its own copy. Immutable once parsed.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MgCertificate, BcTlsCertificate> Parsed = new();

    public static ProtocolVersion[] Versions(TlsEndpointOptions options)
    {
        var max = options.MaxVersion == TlsVersion.Tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12;
        var min = options.MinVersion == TlsVersion.Tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12;
        return max.DownTo(min);
    }

    public static int[] CipherSuites(TlsEndpointOptions options) =>
        options.CipherPolicy.Offer(options.MinVersion, options.Psk is not null, options.Certificate?.KeyType);

    /// <summary>
    /// The MG's certificate as signing credentials, signed by .NET (<see cref="DotNetSigner"/>). The signature scheme follows the key and the peer's
    /// signature_algorithms (RFC 8446 §4.2.3): ECDSA P-256 with SHA-256; RSA with PSS when the peer offers it
    /// (always in TLS 1.3), else PKCS#1 v1.5 with SHA-256 (TLS 1.2).
    /// </summary>
    public static TlsCredentialedSigner Signer(TlsContext context, BcTlsCrypto crypto, MgCertificate certificate, IList<SignatureAndHashAlgorithm>? peerAlgorithms, byte[]? requestContext)
    {
        var entry = Parsed.GetValue(certificate, mg => new BcTlsCertificate(crypto, mg.DerArray));
        var tls13 = TlsUtilities.IsTlsV13(context);
        var chain = tls13
            ? new Certificate(requestContext ?? TlsUtilities.EmptyBytes, [new CertificateEntry(entry, null)])
            : new Certificate([entry]);
        SignatureAndHashAlgorithm algorithm;
        if (certificate.KeyType == MgKeyType.EcdsaP256)
        {
            algorithm = SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
        }
        else if (tls13 || peerAlgorithms is null || peerAlgorithms.Contains(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256))
        {
            algorithm = SignatureAndHashAlgorithm.rsa_pss_rsae_sha256;
        }
        else
        {
            algorithm = SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa);
        }
        return new DotNetSigner(chain, algorithm, certificate.SigningKey);
    }
}
