namespace Megaco.Mgc.Sessions;

/// <summary>A TLS pre-shared key and its identity (RFC 4279 §5.1), handed to the MG for the access leg.</summary>
public sealed record PreSharedKey
{
    /// <summary>RFC 4279 §5.1: identities up to 2^16-1 octets; we keep them short and printable.</summary>
    public const int MaxIdentityLength = 128;

    /// <summary>RFC 4279 §5.1: keys up to 2^16-1 octets; 64 is far beyond any strength needed.</summary>
    public const int MaxKeyLength = 64;

    public PreSharedKey(string identity, ReadOnlyMemory<byte> key)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        if (identity.Length > MaxIdentityLength || !identity.All(c => c is > ' ' and < '\u007f' and not '"' and not '\\'))
        {
            throw new ArgumentException("identity must be 1 to " + MaxIdentityLength + " printable ASCII characters without quotes or backslashes", nameof(identity));
        }
        if (key.Length is < 16 or > MaxKeyLength)
        {
            throw new ArgumentException("key must be 16 to " + MaxKeyLength + " octets", nameof(key));
        }
        Identity = identity;
        Key = key.ToArray();
    }

    public string Identity { get; }

    public ReadOnlyMemory<byte> Key { get; }

    /// <summary>The key never appears in logs or exception texts.</summary>
    public override string ToString() => "PreSharedKey(" + Identity + ")";
}
