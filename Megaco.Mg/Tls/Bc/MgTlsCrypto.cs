using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>
/// BouncyCastle's crypto with the costly parts done by .NET (OpenSSL underneath) where the platform has them:
/// the bulk cipher of the default policy's first suites, AES-GCM (<see cref="DotNetAesGcm"/>), and the peer's
/// TLS 1.3 ECDSA and RSA-PSS signatures (<see cref="DotNetVerifyingCertificate"/>), and X25519 key exchange by
/// OpenSSL directly (<see cref="OpenSslX25519"/>); the MG's own signatures are .NET's too (<see cref="DotNetSigner"/>).
/// The NIST-curve and finite-field key exchanges, the key schedule and everything else stay BouncyCastle's.
/// </summary>
internal sealed class MgTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig) =>
        ecConfig.NamedGroup == NamedGroup.x25519 && LibCrypto.IsAvailable ? new OpenSslX25519Domain(this) : base.CreateECDomain(ecConfig);

    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new DotNetVerifyingCertificate(this, encoding) : base.CreateCertificate(type, encoding);

    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) =>
        AesGcm.IsSupported
            ? new TlsAeadCipher(cryptoParams, new DotNetAesGcm(encrypt: true), new DotNetAesGcm(encrypt: false), cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM)
            : base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);
}
