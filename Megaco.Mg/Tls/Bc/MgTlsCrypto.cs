using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>
/// BouncyCastle's crypto with the bulk cipher of the default policy's first suites, AES-GCM, done by .NET
/// (<see cref="DotNetAesGcm"/>) where the platform has it; handshakes and everything else stay BouncyCastle's.
/// </summary>
internal sealed class MgTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) =>
        AesGcm.IsSupported
            ? new TlsAeadCipher(cryptoParams, new DotNetAesGcm(encrypt: true), new DotNetAesGcm(encrypt: false), cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM)
            : base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);
}
