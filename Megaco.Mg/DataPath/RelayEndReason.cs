namespace Megaco.Mg.DataPath;

public enum RelayEndReason : byte
{
    /// <summary>Both peers closed their sending side (a FIN each way) and everything was delivered.</summary>
    Closed,

    /// <summary>A peer reset the connection or a socket failed; both connections were reset.</summary>
    PeerLost,

    /// <summary>No bytes either way for <see cref="MgLimits.IdleTimeout"/>; both connections were reset.</summary>
    IdleTimeout,

    /// <summary>A data path stage failed; both connections were reset.</summary>
    StageFailed,

    /// <summary>A TLS session failed after its handshake (bad record, fatal alert); both connections were reset.</summary>
    TlsFailed,

    /// <summary>The relay was disposed while still running, or could not drain when detached in time.</summary>
    Stopped,

    /// <summary>Stopped by <see cref="Relay.DetachAsync"/> with everything read delivered; both connections kept open.</summary>
    Detached,
}
