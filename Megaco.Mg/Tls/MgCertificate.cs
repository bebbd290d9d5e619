using Megaco.Protocol.Sdp;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Megaco.Mg.Tls;

/// <summary>
/// The MG's own certificate and its private key. Peers authenticate it by fingerprint (RFC 8122), not by a
/// chain, so a self-signed certificate is the normal case; its fingerprint goes into the Local descriptor.
/// The private key is never exposed, formatted or logged.
/// </summary>
public sealed class MgCertificate
{
    /// <summary>Generated certificates are valid from a day before (peer clock skew) to this long after.</summary>
    public static readonly TimeSpan GeneratedValidity = TimeSpan.FromDays(30);

    private const int GeneratedRsaBits = 2048;
    private const int MinRsaBits = 2048;

    private readonly byte[] _der;
    private readonly Lazy<System.Net.Security.SslStreamCertificateContext> _sslContext;
    private readonly Lazy<System.Security.Cryptography.AsymmetricAlgorithm> _signingKey;

    private MgCertificate(byte[] der, AsymmetricKeyParameter privateKey, MgKeyType keyType)
    {
        _der = der;
        PrivateKey = privateKey;
        KeyType = keyType;
        _sslContext = new(CreateSslContext);
        _signingKey = new(CreateSigningKey);
    }

    public MgKeyType KeyType { get; }

    /// <summary>The DER encoding of the certificate (what the fingerprint hashes).</summary>
    public ReadOnlySpan<byte> Der => _der;

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal byte[] DerArray => _der;

    public TlsFingerprint Fingerprint(FingerprintHash hash = FingerprintHash.Sha256) => TlsFingerprint.Compute(hash, _der);

    /// <summary>
    /// A fresh self-signed certificate with a fresh key, made by the platform's crypto (OpenSSL on Linux:
    /// ECDSA P-256 in well under a millisecond, RSA-2048 in tens of milliseconds, where a managed RSA key
    /// search can take seconds on a loaded machine) and handed to BouncyCastle as PKCS#8.
    /// </summary>
    public static MgCertificate GenerateSelfSigned(MgKeyType keyType = MgKeyType.EcdsaP256, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using System.Security.Cryptography.AsymmetricAlgorithm key = keyType == MgKeyType.EcdsaP256
            ? System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)
            : System.Security.Cryptography.RSA.Create(GeneratedRsaBits);
        var request = key is System.Security.Cryptography.RSA rsa
            ? new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Megaco MG", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            : new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Megaco MG", (System.Security.Cryptography.ECDsa)key,
                System.Security.Cryptography.HashAlgorithmName.SHA256);
        // CreateSelfSigned draws a random positive 8-octet serial (RFC 5280 §4.1.2.2).
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.Add(GeneratedValidity));
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        return new MgCertificate(certificate.RawData, privateKey, keyType);
    }

    public static MgCertificate LoadPem(string certificatePath, string privateKeyPath) =>
        FromPem(File.ReadAllText(certificatePath), File.ReadAllText(privateKeyPath));

    /// <summary>
    /// A certificate and its unencrypted private key in PEM (<c>CERTIFICATE</c>; <c>PRIVATE KEY</c>,
    /// <c>EC PRIVATE KEY</c> or <c>RSA PRIVATE KEY</c>). Keys: EC on P-256, or RSA of 2048 bits or more.
    /// The first certificate is the MG's; peers check it by fingerprint, so no chain is sent.
    /// </summary>
    public static MgCertificate FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        X509Certificate? certificate = null;
        using (var reader = new StringReader(certificatePem))
        {
            certificate = new PemReader(reader).ReadObject() as X509Certificate;
        }
        if (certificate is null)
        {
            throw new FormatException("no PEM CERTIFICATE found");
        }
        object? keyObject;
        using (var reader = new StringReader(privateKeyPem))
        {
            keyObject = new PemReader(reader).ReadObject();
        }
        var key = keyObject switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } parameter => parameter,
            _ => throw new FormatException("no unencrypted PEM private key found"),
        };
        var keyType = key switch
        {
            ECPrivateKeyParameters ec when ec.Parameters.Curve.Equals(ECNamedDomainParameters.LookupOid(SecObjectIdentifiers.SecP256r1).Curve) => MgKeyType.EcdsaP256,
            RsaKeyParameters rsa when rsa.Modulus.BitLength >= MinRsaBits => MgKeyType.Rsa,
            _ => throw new FormatException("the private key must be EC on P-256 or RSA of at least 2048 bits"),
        };
        if (!PublicKeyMatches(certificate.GetPublicKey(), key))
        {
            throw new FormatException("the private key does not belong to the certificate");
        }
        return new MgCertificate(certificate.GetEncoded(), key, keyType);
    }

    private static bool PublicKeyMatches(AsymmetricKeyParameter publicKey, AsymmetricKeyParameter privateKey) => (publicKey, privateKey) switch
    {
        (ECPublicKeyParameters pub, ECPrivateKeyParameters priv) => pub.Q.Equals(priv.Parameters.G.Multiply(priv.D).Normalize()),
        (RsaKeyParameters pub, RsaKeyParameters priv) => pub.Modulus.Equals(priv.Modulus),
        _ => false,
    };

    /// <summary>The certificate with its key as SslStream takes it (<see cref="SslStreamTlsEngine"/>), made once.</summary>
    internal System.Net.Security.SslStreamCertificateContext SslContext => _sslContext.Value;

    /// <summary>
    /// The private key as .NET's (OpenSSL underneath), made once, for BouncyCastle's handshake signatures
    /// (<see cref="DotNetSigner"/>): each signature is a separate OpenSSL operation on the shared key.
    /// </summary>
    internal System.Security.Cryptography.AsymmetricAlgorithm SigningKey => _signingKey.Value;

    private System.Security.Cryptography.AsymmetricAlgorithm CreateSigningKey()
    {
        var pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(PrivateKey).GetEncoded();
        System.Security.Cryptography.AsymmetricAlgorithm key = KeyType == MgKeyType.EcdsaP256
            ? System.Security.Cryptography.ECDsa.Create()
            : System.Security.Cryptography.RSA.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return key;
    }

    private System.Net.Security.SslStreamCertificateContext CreateSslContext()
    {
        var pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(PrivateKey).GetEncoded();
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(_der);
        System.Security.Cryptography.X509Certificates.X509Certificate2 withKey;
        if (KeyType == MgKeyType.EcdsaP256)
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            withKey = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.CopyWithPrivateKey(certificate, key);
        }
        else
        {
            using var key = System.Security.Cryptography.RSA.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            withKey = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.CopyWithPrivateKey(certificate, key);
        }
        using (withKey)
        {
            // Through PKCS#12 so the TLS stack gets a key it can use on every platform.
            var exported = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
                withKey.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
            return System.Net.Security.SslStreamCertificateContext.Create(exported, null, offline: true);
        }
    }

    /// <summary>Key type and sha-256 fingerprint only: the key itself never appears.</summary>
    public override string ToString() => $"{KeyType} {Fingerprint()}";
}
