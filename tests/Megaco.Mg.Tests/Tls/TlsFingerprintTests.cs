using System.Security.Cryptography;
using Megaco.Mg.Tls;

namespace Megaco.Mg.Tests.Tls;

public sealed class TlsFingerprintTests
{
    [Fact]
    public void Parses_the_rfc_4572_example_and_formats_it_back_in_rfc_8122_form()
    {
        // RFC 4572 §5 example; the hash name is case-insensitive, RFC 8122 §5 writes it lowercase.
        var fingerprint = TlsFingerprint.Parse("SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
        Assert.Equal(FingerprintHash.Sha1, fingerprint.Hash);
        Assert.Equal(Convert.FromHexString("4AADB9B13F82183B540212DF3E5D496B19E57CAB"), fingerprint.Value.ToArray());
        Assert.Equal("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", fingerprint.ToString());
    }

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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B")]
    [InlineData("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C")]
    [InlineData("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:CD")]
    [InlineData("sha-1 4AAD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:")]
    [InlineData("sha-1 4A-AD-B9-B1-3F-82-18-3B-54-02-12-DF-3E-5D-49-6B-19-E5-7C-AB")]
    [InlineData("sha-1 4G:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")]
    [InlineData("sha-1 +A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")]
    [InlineData("sha-3 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")]
    public void Malformed_values_are_refused(string? value)
    {
        Assert.False(TlsFingerprint.TryParse(value, out var fingerprint));
        Assert.Null(fingerprint);
    }

    [Fact]
    public void Overlong_values_are_refused_before_parsing()
    {
        Assert.False(TlsFingerprint.TryParse("sha-256 " + new string('A', TlsFingerprint.MaxLength), out _));
        Assert.Throws<FormatException>(() => TlsFingerprint.Parse("sha-256 00"));
    }
}
