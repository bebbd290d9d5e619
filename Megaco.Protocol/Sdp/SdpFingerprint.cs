using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Megaco.Protocol.Sdp;

/// <summary>
/// The value of an SDP <c>a=fingerprint</c> attribute (RFC 8122 §5): <c>hash-func SP fingerprint</c>, the
/// fingerprint being the hash's octets as hex pairs joined by colons, e.g. <c>sha-256 AB:CD:...</c>. Parsing
/// accepts lowercase hex and any case of the hash name, and only the hashes of <see cref="FingerprintHash"/>
/// with exactly their number of octets; formatting writes uppercase hex. The MGC checks what SIP brings with
/// it; the MG checks the Remote's and computes its own (the hashing itself is the MG's).
/// </summary>
public sealed class SdpFingerprint : IEquatable<SdpFingerprint>
{
    /// <summary>The longest attribute value accepted: a sha-512 fingerprint (64 octets) plus slack for spaces.</summary>
    public const int MaxLength = 256;

    private readonly byte[] _value;

    private SdpFingerprint(FingerprintHash hash, byte[] value)
    {
        Hash = hash;
        _value = value;
    }

    public FingerprintHash Hash { get; }

    public ReadOnlySpan<byte> Value => _value;

    /// <summary>A fingerprint from a computed digest; its length must be the hash's.</summary>
    public static SdpFingerprint Create(FingerprintHash hash, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != HashLength(hash))
        {
            throw new ArgumentException(HashName(hash) + " has " + HashLength(hash) + " octets, not " + digest.Length, nameof(digest));
        }
        return new SdpFingerprint(hash, digest.ToArray());
    }

    /// <summary>
    /// Parses the value of an <c>a=fingerprint</c> attribute (what follows the colon). False for unknown or
    /// forbidden hash names (md2, md5: RFC 8122 §5), a length that does not fit the hash, or anything not
    /// <c>2HEX *(":" 2HEX)</c>.
    /// </summary>
    public static bool TryParse(string? attributeValue, [NotNullWhen(true)] out SdpFingerprint? fingerprint)
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
        fingerprint = new SdpFingerprint(hash, value);
        return true;
    }

    /// <summary>The textual name (RFC 8122 §5, IANA "Hash Function Textual Names").</summary>
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

    /// <summary>The digest's length in octets.</summary>
    public static int HashLength(FingerprintHash hash) => hash switch
    {
        FingerprintHash.Sha1 => 20,
        FingerprintHash.Sha224 => 28,
        FingerprintHash.Sha256 => 32,
        FingerprintHash.Sha384 => 48,
        FingerprintHash.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

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

    public bool Equals(SdpFingerprint? other) =>
        other is not null && other.Hash == Hash && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as SdpFingerprint);

    public override int GetHashCode()
    {
        var code = new HashCode();
        code.Add(Hash);
        code.AddBytes(_value);
        return code.ToHashCode();
    }
}
