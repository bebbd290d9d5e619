using System.Security.Cryptography;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

public sealed class TlsFingerprintTests
{
    [Theory]
    [InlineData(FingerprintHash.Sha1, "sha-1", 20)]
    [InlineData(FingerprintHash.Sha224, "sha-224", 28)]
    [InlineData(FingerprintHash.Sha256, "sha-256", 32)]
    [InlineData(FingerprintHash.Sha384, "sha-384", 48)]
    [InlineData(FingerprintHash.Sha512, "sha-512", 64)]
    public void Every_hash_round_trips(FingerprintHash hash, string name, int octets)
    {
        var der = RandomNumberGenerator.GetBytes(300);
        var fingerprint = TlsFingerprint.Compute(hash, der);
        var text = fingerprint.ToString();
        Assert.StartsWith(name + " ", text, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9-]+ [0-9A-F]{2}(:[0-9A-F]{2})*$", text);
        Assert.Equal(octets, fingerprint.Value.Length);
        var parsed = TlsFingerprint.Parse(text.ToLowerInvariant());
        Assert.Equal(fingerprint, parsed);
        Assert.True(parsed.Matches(der));
        der[0] ^= 1;
        Assert.False(parsed.Matches(der));
    }

    [Fact]
    public void Sha256_is_the_sha256_of_the_der()
    {
        var der = RandomNumberGenerator.GetBytes(500);
        Assert.Equal(SHA256.HashData(der), TlsFingerprint.Compute(FingerprintHash.Sha256, der).Value.ToArray());
        // SHA-224 (FIPS 180-4) of "abc".
        Assert.Equal(Convert.FromHexString("23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7"),
            TlsFingerprint.Compute(FingerprintHash.Sha224, "abc"u8).Value.ToArray());
    }

    [Fact]
    public void A_malformed_value_does_not_parse()
    {
        // The syntax is SdpFingerprint's (Megaco.Protocol.Tests); this is the MG's entry to it.
        Assert.False(TlsFingerprint.TryParse("md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B", out _));
        Assert.Throws<FormatException>(() => TlsFingerprint.Parse("sha-256 00"));
    }
}
