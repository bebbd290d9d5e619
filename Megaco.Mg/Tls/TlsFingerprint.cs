using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Megaco.Mg.Tls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>hash-func SP fingerprint</c>, the
/// fingerprint being the hash of the DER certificate as uppercase hex octets joined by colons, e.g.
/// <c>sha-256 AB:CD:...</c>. Parsing accepts lowercase hex and any case of the hash name.
/// </summary>
public sealed class TlsFingerprint : IEquatable<TlsFingerprint>
{
    /// <summary>The longest attribute value accepted: a sha-512 fingerprint (64 octets) plus slack for spaces.</summary>
    public const int MaxLength = 256;

    private readonly byte[] _value;

    private TlsFingerprint(FingerprintHash hash, byte[] value)
    {
        Hash = hash;
        _value = value;
    }

    public FingerprintHash Hash { get; }

    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The fingerprint of a DER certificate with the given hash.</summary>
    public static TlsFingerprint Compute(FingerprintHash hash, ReadOnlySpan<byte> derCertificate) =>
        new(hash, Digest(hash, derCertificate));

    /// <summary>Whether <paramref name="derCertificate"/> hashes, with this fingerprint's hash, to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> derCertificate) =>
        CryptographicOperations.FixedTimeEquals(Digest(Hash, derCertificate), _value);

    public static TlsFingerprint Parse(string attributeValue) =>
        TryParse(attributeValue, out var fingerprint)
            ? fingerprint
            : throw new FormatException("not an RFC 8122 fingerprint attribute value");

    /// <summary>
    /// Parses the value of an <c>a=fingerprint</c> attribute (what follows the colon). False for unknown
    /// or forbidden hash names, a length that does not fit the hash, or anything not <c>2HEX *(":" 2HEX)</c>.
    /// </summary>
    public static bool TryParse(string? attributeValue, [NotNullWhen(true)] out TlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (attributeValue is null || attributeValue.Length > MaxLength)
        {
            return false;
        }
        var text = attributeValue.AsSpan().Trim();
        var space = text.IndexOf(' ');
        if (space <= 0 || !TryParseHash(text[..space], out var hash))
        {
            return false;
        }
        var hex = text[(space + 1)..].TrimStart(' ');
        var length = HashLength(hash);
        // RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX); n octets take 3n - 1 characters.
        if (hex.Length != length * 3 - 1)
        {
            return false;
        }
        var value = new byte[length];
        for (var i = 0; i < length; i++)
        {
            if ((i > 0 && hex[i * 3 - 1] != ':')
                || !byte.TryParse(hex.Slice(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value[i]))
            {
                return false;
            }
        }
        fingerprint = new TlsFingerprint(hash, value);
        return true;
    }

    public static string HashName(FingerprintHash hash) => hash switch
    {
        FingerprintHash.Sha1 => "sha-1",
        FingerprintHash.Sha224 => "sha-224",
        FingerprintHash.Sha256 => "sha-256",
        FingerprintHash.Sha384 => "sha-384",
        FingerprintHash.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    public static bool TryParseHash(ReadOnlySpan<char> name, out FingerprintHash hash)
    {
        foreach (var candidate in Enum.GetValues<FingerprintHash>())
        {
            if (name.Equals(HashName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                hash = candidate;
                return true;
            }
        }
        hash = default;
        return false;
    }

    private static int HashLength(FingerprintHash hash) => hash switch
    {
        FingerprintHash.Sha1 => 20,
        FingerprintHash.Sha224 => 28,
        FingerprintHash.Sha256 => 32,
        FingerprintHash.Sha384 => 48,
        _ => 64,
    };

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
    public override string ToString() =>
        string.Create(HashName(Hash).Length + 1 + _value.Length * 3 - 1, this, static (span, self) =>
        {
            var name = HashName(self.Hash);
            name.CopyTo(span);
            span[name.Length] = ' ';
            var position = name.Length + 1;
            for (var i = 0; i < self._value.Length; i++)
            {
                if (i > 0)
                {
                    span[position++] = ':';
                }
                self._value[i].TryFormat(span[position..], out _, "X2", CultureInfo.InvariantCulture);
                position += 2;
            }
        });

    public bool Equals(TlsFingerprint? other) =>
        other is not null && other.Hash == Hash && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as TlsFingerprint);

    public override int GetHashCode()
    {
        var code = new HashCode();
        code.Add(Hash);
        code.AddBytes(_value);
        return code.ToHashCode();
    }
}
