using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Megaco.Protocol.Sdp;
using Org.BouncyCastle.Crypto.Digests;

namespace Megaco.Mg.Tls;

/// <summary>
/// A certificate fingerprint (RFC 8122 §5): the SDP value (<see cref="SdpFingerprint"/>, which parses and
/// formats it) and what the MG does with it: compute it from a DER certificate, and check a peer's certificate
/// against it in constant time.
/// </summary>
public sealed class TlsFingerprint : IEquatable<TlsFingerprint>
{
    private readonly SdpFingerprint _sdp;

    private TlsFingerprint(SdpFingerprint sdp) => _sdp = sdp;

    public FingerprintHash Hash => _sdp.Hash;

    public ReadOnlySpan<byte> Value => _sdp.Value;

    /// <summary>The fingerprint of a DER certificate with the given hash.</summary>
    public static TlsFingerprint Compute(FingerprintHash hash, ReadOnlySpan<byte> derCertificate) =>
        new(SdpFingerprint.Create(hash, Digest(hash, derCertificate)));

    /// <summary>Whether <paramref name="derCertificate"/> hashes, with this fingerprint's hash, to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> derCertificate) =>
        CryptographicOperations.FixedTimeEquals(Digest(Hash, derCertificate), Value);

    public static TlsFingerprint Parse(string attributeValue) =>
        TryParse(attributeValue, out var fingerprint)
            ? fingerprint
            : throw new FormatException("not an RFC 8122 fingerprint attribute value");

    /// <summary>Parses the value of an <c>a=fingerprint</c> attribute (<see cref="SdpFingerprint.TryParse"/>).</summary>
    public static bool TryParse(string? attributeValue, [NotNullWhen(true)] out TlsFingerprint? fingerprint)
    {
        fingerprint = SdpFingerprint.TryParse(attributeValue, out var sdp) ? new TlsFingerprint(sdp) : null;
        return fingerprint is not null;
    }

    private static byte[] Digest(FingerprintHash hash, ReadOnlySpan<byte> data)
    {
        switch (hash)
        {
            case FingerprintHash.Sha1:
                return SHA1.HashData(data);
            case FingerprintHash.Sha224:
                // .NET has no SHA-224.
                var digest = new Sha224Digest();
                digest.BlockUpdate(data);
                var output = new byte[digest.GetDigestSize()];
                digest.DoFinal(output, 0);
                return output;
            case FingerprintHash.Sha256:
                return SHA256.HashData(data);
            case FingerprintHash.Sha384:
                return SHA384.HashData(data);
            default:
                return SHA512.HashData(data);
        }
    }

    /// <summary>The attribute value, e.g. <c>sha-256 AB:CD:...</c> (uppercase hex, RFC 8122 §5).</summary>
    public override string ToString() => _sdp.ToString();

    public bool Equals(TlsFingerprint? other) => other is not null && _sdp.Equals(other._sdp);

    public override bool Equals(object? obj) => Equals(obj as TlsFingerprint);

    public override int GetHashCode() => _sdp.GetHashCode();
}
