using Megaco.Mg.Tls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tests.Tls;

/// <summary>X25519 by OpenSSL inside BouncyCastle's handshake agrees with BouncyCastle's own, and refuses bad shares.</summary>
public sealed class OpenSslX25519Tests
{
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    [Fact]
    public void Openssl_and_bouncycastle_x25519_reach_the_same_secret()
    {
        Assert.True(LibCrypto.IsAvailable, "libcrypto.so.3 is part of the Linux image the MG runs on");
        var ours = new OpenSslX25519(Crypto);
        var theirs = new BcX25519(Crypto);
        var ourShare = ours.GenerateEphemeral();
        var theirShare = theirs.GenerateEphemeral();
        ours.ReceivePeerValue(theirShare);
        theirs.ReceivePeerValue(ourShare);

        var secret = ours.CalculateSecret().Extract();
        Assert.Equal(theirs.CalculateSecret().Extract(), secret);
        Assert.Equal(32, secret.Length);
        Assert.Contains(secret, b => b != 0);
    }

    [Fact]
    public void A_share_of_the_wrong_length_is_an_illegal_parameter()
    {
        var agreement = new OpenSslX25519(Crypto);
        agreement.GenerateEphemeral();
        var alert = Assert.Throws<TlsFatalAlert>(() => agreement.ReceivePeerValue(new byte[31]));
        Assert.Equal(AlertDescription.illegal_parameter, alert.AlertDescription);
    }

    [Fact]
    public void A_small_order_share_giving_an_all_zero_secret_is_refused()
    {
        // RFC 7748 §6.1: the point of order 1 (u = 0) makes every shared secret zero.
        var agreement = new OpenSslX25519(Crypto);
        agreement.GenerateEphemeral();
        agreement.ReceivePeerValue(new byte[32]);
        var alert = Assert.Throws<TlsFatalAlert>(() => agreement.CalculateSecret());
        Assert.Equal(AlertDescription.illegal_parameter, alert.AlertDescription);
    }
}
