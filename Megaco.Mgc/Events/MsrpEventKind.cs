namespace Megaco.Mgc.Events;

/// <summary>What the MG reported about a termination (contract: Events), or what happened to the MG itself.</summary>
public enum MsrpEventKind : byte
{
    /// <summary><c>tcpx/est</c>: the TCP connection is up; <see cref="MsrpMediaEvent.Detail"/> is the peer's address:port.</summary>
    ConnectionEstablished,

    /// <summary><c>tcpx/fail</c>: the TCP connection could not be set up; the session cannot carry media (P-CSCF: release, e.g. BYE).</summary>
    ConnectionFailed,

    /// <summary><c>tcpx/lost</c>: the connection was lost or released by the peer.</summary>
    ConnectionLost,

    /// <summary><c>tlsx/est</c>: TLS is up and the peer verified; Detail is "version cipher-suite".</summary>
    TlsEstablished,

    /// <summary><c>tlsx/fail</c>: the TLS handshake or verification failed (wrong fingerprint, wrong PSK, timeout, alert).</summary>
    TlsFailed,

    /// <summary><c>adid/ipstop</c>: no application data for the requested time (H.248.40).</summary>
    Inactivity,

    /// <summary>An event of another package (e.g. address reporting); see <see cref="MsrpMediaEvent.Observed"/>.</summary>
    Other,

    /// <summary>The MG restarted or was lost: the session's context is gone (not from a Notify).</summary>
    GatewayLost,
}
