namespace Megaco.Mg.Tls;

/// <summary>
/// Everything a TLS termination needs for one handshake: the MG engine fills it from the Local and Remote
/// descriptors (a=setup, a=fingerprint) and the tlsx properties. Authentication is either by certificate
/// fingerprints (<see cref="Certificate"/> and <see cref="RemoteFingerprints"/>, mutual) or by
/// <see cref="Psk"/>; with a PSK, certificates are neither sent nor asked for.
/// </summary>
public sealed class TlsEndpointOptions
{
    /// <summary>At most this many Remote fingerprints are kept (RFC 8122 §5 allows several attributes).</summary>
    public const int MaxRemoteFingerprints = 8;

    /// <summary>Follows the TCP setup role (<see cref="TlsRoles.For"/>).</summary>
    public required TlsRole Role { get; init; }

    /// <summary>The MG's certificate for this session; required unless <see cref="Psk"/> is set.</summary>
    public MgCertificate? Certificate { get; init; }

    /// <summary>
    /// The fingerprints from the Remote descriptor; the handshake succeeds only if the peer's certificate
    /// matches one of them with the hash it names. Required unless <see cref="Psk"/> is set.
    /// </summary>
    public IReadOnlyList<TlsFingerprint> RemoteFingerprints { get; init; } = [];

    public TlsPsk? Psk { get; init; }

    public TlsVersion MinVersion { get; init; } = TlsVersion.Tls12;

    public TlsVersion MaxVersion { get; init; } = TlsVersion.Tls13;

    /// <summary>Null takes <see cref="MgLimits.HandshakeTimeout"/>.</summary>
    public TimeSpan? HandshakeTimeout { get; init; }

    public TlsCipherPolicy CipherPolicy { get; init; } = TlsCipherPolicy.Default;

    /// <summary>Throws if the options cannot make a handshake: caught at configuration, not on the wire.</summary>
    public void Validate()
    {
        if (MinVersion > MaxVersion)
        {
            throw new ArgumentException("MinVersion is above MaxVersion");
        }
        if (HandshakeTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("HandshakeTimeout must be positive");
        }
        if (Psk is not null)
        {
            return;
        }
        if (Certificate is null)
        {
            throw new ArgumentException("certificate authentication needs the MG's Certificate");
        }
        if (RemoteFingerprints.Count is 0 or > MaxRemoteFingerprints)
        {
            throw new ArgumentException($"certificate authentication needs 1 to {MaxRemoteFingerprints} Remote fingerprints");
        }
    }
}
