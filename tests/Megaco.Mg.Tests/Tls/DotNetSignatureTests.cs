using System.Security.Cryptography;
using Megaco.Mg.Tls;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// The handshake signatures done by .NET inside BouncyCastle: what <see cref="DotNetSigner"/> signs,
/// BouncyCastle's own verifier accepts, and what BouncyCastle's signer signs, <see cref="DotNetVerifyingCertificate"/>
/// accepts; a changed content or a garbage signature is a failed verification, never an exception.
/// </summary>
public sealed class DotNetSignatureTests
{
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    /// <summary>RFC 8446 §4.4.3: what a TLS 1.3 server's CertificateVerify signs, with a made-up transcript hash.</summary>
    private static byte[] Content(byte fill) =>
        [.. Enumerable.Repeat((byte)0x20, 64), .. "TLS 1.3, server CertificateVerify"u8, 0, .. Enumerable.Repeat(fill, 48)];

    [Theory]
    [InlineData(MgKeyType.EcdsaP256, SignatureScheme.ecdsa_secp256r1_sha256)]
    [InlineData(MgKeyType.Rsa, SignatureScheme.rsa_pss_rsae_sha256)]
    public void Dotnet_signatures_verify_with_bouncycastle_and_dotnet_and_a_changed_content_does_not(MgKeyType keyType, int scheme)
    {
        var certificate = MgCertificate.GenerateSelfSigned(keyType);
        var signer = new DotNetSigner(new Certificate([]), SignatureScheme.GetSignatureAndHashAlgorithm(scheme), certificate.SigningKey);
        var signature = signer.GenerateRawSignature(SHA256.HashData(Content(1)));

        Assert.True(Verify(new BcTlsCertificate(Crypto, certificate.DerArray), scheme, Content(1), signature));
        Assert.True(Verify(new DotNetVerifyingCertificate(Crypto, certificate.DerArray), scheme, Content(1), signature));
        Assert.False(Verify(new DotNetVerifyingCertificate(Crypto, certificate.DerArray), scheme, Content(2), signature));
    }

    [Theory]
    [InlineData(MgKeyType.EcdsaP256, SignatureScheme.ecdsa_secp256r1_sha256)]
    [InlineData(MgKeyType.Rsa, SignatureScheme.rsa_pss_rsae_sha256)]
    public void Bouncycastle_signatures_verify_with_dotnet_and_garbage_is_refused(MgKeyType keyType, int scheme)
    {
        var certificate = MgCertificate.GenerateSelfSigned(keyType);
        ISigner bc = keyType == MgKeyType.EcdsaP256
            ? new DsaDigestSigner(new ECDsaSigner(), new Sha256Digest())
            : new PssSigner(new RsaEngine(), new Sha256Digest(), 32);
        bc.Init(true, keyType == MgKeyType.EcdsaP256 ? certificate.PrivateKey : new ParametersWithRandom(certificate.PrivateKey, new SecureRandom()));
        var content = Content(3);
        bc.BlockUpdate(content, 0, content.Length);
        var signature = bc.GenerateSignature();

        var peer = new DotNetVerifyingCertificate(Crypto, certificate.DerArray);
        Assert.IsType<DotNetVerifier>(peer.CreateVerifier(scheme));
        Assert.True(Verify(peer, scheme, Content(3), signature));
        Assert.False(Verify(peer, scheme, Content(3), [0x30, 0x03, 0x02, 0x01]));
        Assert.False(Verify(peer, scheme, Content(3), new byte[300]));
    }

    private static bool Verify(TlsCertificate certificate, int scheme, byte[] content, byte[] signature)
    {
        var verifier = certificate.CreateVerifier(scheme);
        verifier.Stream.Write(content);
        return verifier.VerifySignature(signature);
    }
}
