namespace Megaco.Mg;

/// <summary>
/// Resource bounds of the MG's media plane. Setters validate, so a bad configuration fails at start
/// rather than on the first bearer.
/// </summary>
public sealed class MgLimits
{
    /// <summary>
    /// 64 KiB: the largest TCP window a peer can advertise without window scaling (RFC 7323 §2.2), so the
    /// relay never holds more per direction than one unscaled window in flight.
    /// </summary>
    public const int DefaultMaxBufferedBytesPerStream = 64 * 1024;

    /// <summary>The smallest window that still leaves room for one full receive plus the pause threshold.</summary>
    public const int MinBufferedBytesPerStream = 4 * 1024;

    private int _maxBufferedBytesPerStream = DefaultMaxBufferedBytesPerStream;
    private TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _connectRetryDelay = TimeSpan.FromMilliseconds(500);
    private int _connectAttempts = 3;
    private TimeSpan _inactivityTimeout = TimeSpan.Zero;
    private TimeSpan _idleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Bytes the relay may hold per direction (received from one peer, not yet written to the other),
    /// across all pipes of that direction's data path.
    /// </summary>
    public int MaxBufferedBytesPerStream
    {
        get => _maxBufferedBytesPerStream;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinBufferedBytesPerStream);
            _maxBufferedBytesPerStream = value;
        }
    }

    /// <summary>
    /// How long a bearer may take to be established (accepted or connected), and then its TLS handshake
    /// (<see cref="Tls.TlsLeg.EstablishAsync"/>, unless <see cref="Tls.TlsEndpointOptions.HandshakeTimeout"/>
    /// says otherwise); 10 s as Kestrel's default TLS handshake timeout.
    /// </summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _handshakeTimeout = value;
        }
    }

    /// <summary>Outgoing connection attempts before the bearer reports failure (each bounded by <see cref="HandshakeTimeout"/>).</summary>
    public int ConnectAttempts
    {
        get => _connectAttempts;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _connectAttempts = value;
        }
    }

    /// <summary>Pause between two outgoing connection attempts.</summary>
    public TimeSpan ConnectRetryDelay
    {
        get => _connectRetryDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _connectRetryDelay = value;
        }
    }

    /// <summary>
    /// No bytes received from one side for this long raises the inactivity event for that side (the
    /// application data inactivity detection the MGC asks for); zero disables it.
    /// </summary>
    public TimeSpan InactivityTimeout
    {
        get => _inactivityTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _inactivityTimeout = value;
        }
    }

    /// <summary>
    /// No bytes in either direction for this long ends the relay and resets both connections, so a silent
    /// pair of peers cannot hold sockets forever; zero disables it.
    /// </summary>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _idleTimeout = value;
        }
    }
}
