using Megaco.Protocol.Sdp;

namespace Megaco.Protocol.Tests.Sdp;

/// <summary>RFC 8122 §5 <c>a=fingerprint</c> values as both the MGC and the MG read them.</summary>
public sealed class SdpFingerprintTests
{
    [Fact]
    public void Parses_the_rfc_4572_example_and_formats_it_back_in_rfc_8122_form()
    {
        // RFC 4572 §5 example; the hash name is case-insensitive, RFC 8122 §5 writes it lowercase.
        Assert.True(SdpFingerprint.TryParse("SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", out var fingerprint));
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
    public void Each_hash_takes_exactly_its_length_in_either_case(FingerprintHash hash, string name, int octets)
    {
        var digest = Enumerable.Range(0, octets).Select(i => (byte)(i * 37 + 11)).ToArray();
        var fingerprint = SdpFingerprint.Create(hash, digest);
        var text = fingerprint.ToString();
        Assert.StartsWith(name + " ", text, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9-]+ [0-9A-F]{2}(:[0-9A-F]{2})*$", text);
        Assert.True(SdpFingerprint.TryParse(text.ToLowerInvariant(), out var parsed));
        Assert.Equal(fingerprint, parsed);
        Assert.False(SdpFingerprint.TryParse(text + ":00", out _));
        Assert.False(SdpFingerprint.TryParse(text[..^3], out _));
        Assert.Throws<ArgumentException>(() => SdpFingerprint.Create(hash, digest.AsSpan(1)));
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
        Assert.False(SdpFingerprint.TryParse(value, out var fingerprint));
        Assert.Null(fingerprint);
    }

    [Fact]
    public void Overlong_values_are_refused_before_parsing()
    {
        Assert.False(SdpFingerprint.TryParse("sha-256 " + new string('A', SdpFingerprint.MaxLength), out _));
    }
}
