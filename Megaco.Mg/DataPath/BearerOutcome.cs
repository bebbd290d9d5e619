namespace Megaco.Mg.DataPath;

/// <summary>How <see cref="TcpBearer.EstablishAsync"/> ended; each becomes an event on the termination.</summary>
public enum BearerOutcome : byte
{
    Established,

    /// <summary>No admissible peer connected, or no connect succeeded, within the handshake timeout.</summary>
    TimedOut,

    /// <summary>Every outgoing attempt failed (<see cref="TcpBearer.LastError"/> says why).</summary>
    Failed,

    /// <summary>The role is holdconn: no connection now (RFC 4145 §4).</summary>
    Held,
}
