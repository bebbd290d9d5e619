using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>The x25519 group (RFC 8446 §4.2.7) for BouncyCastle with the arithmetic by OpenSSL (<see cref="OpenSslX25519"/>).</summary>
internal sealed class OpenSslX25519Domain(BcTlsCrypto crypto) : TlsECDomain
{
    public TlsAgreement CreateECDH() => new OpenSslX25519(crypto);
}
