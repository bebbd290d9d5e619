using System.Text;

namespace Megaco.Mg.Tls;

/// <summary>
/// A pre-shared key and its identity (RFC 4279 §5; RFC 8446 §4.2.11 external PSK), as the MGC hands them
/// to the termination (tlsx/pskid, tlsx/psk). <see cref="ToString"/> shows the identity only.
/// </summary>
public sealed class TlsPsk
{
    /// <summary>RFC 4279 §5.3: identities up to 2^16-1 octets; we keep far less.</summary>
    public const int MaxIdentityLength = 128;

    /// <summary>RFC 4279 §5.3: keys up to 64 octets must be supported; longer is refused.</summary>
    public const int MaxKeyLength = 64;

    private readonly byte[] _identity;
    private readonly byte[] _key;

    public TlsPsk(ReadOnlySpan<byte> identity, ReadOnlySpan<byte> key)
    {
        if (identity.IsEmpty || identity.Length > MaxIdentityLength)
        {
            throw new ArgumentOutOfRangeException(nameof(identity), $"a PSK identity has 1 to {MaxIdentityLength} octets");
        }
        if (key.IsEmpty || key.Length > MaxKeyLength)
        {
            throw new ArgumentOutOfRangeException(nameof(key), $"a PSK has 1 to {MaxKeyLength} octets");
        }
        _identity = identity.ToArray();
        _key = key.ToArray();
    }

    /// <summary>An identity given as text (RFC 4279 §5.1: UTF-8).</summary>
    public TlsPsk(string identity, ReadOnlySpan<byte> key)
        : this(Encoding.UTF8.GetBytes(identity ?? throw new ArgumentNullException(nameof(identity))), key)
    {
    }

    public ReadOnlySpan<byte> Identity => _identity;

    internal byte[] IdentityArray => _identity;

    internal byte[] KeyArray => _key;

    public override string ToString() => $"PSK identity {Encoding.UTF8.GetString(_identity)}";
}
