namespace Megaco.Protocol.Sdp;

/// <summary>
/// The TCP connection setup role of an endpoint, the value of SDP <c>a=setup</c> (RFC 4145 §4, used for
/// MSRP by RFC 6135 §4).
/// </summary>
public enum SetupRole : byte
{
    /// <summary>The endpoint opens the connection (RFC 4145 §4: "active").</summary>
    Active,

    /// <summary>The endpoint accepts the connection (RFC 4145 §4: "passive").</summary>
    Passive,

    /// <summary>The endpoint is willing to accept or open (RFC 4145 §4: "actpass"); the MG listens until the answer decides.</summary>
    ActPass,

    /// <summary>No connection now (RFC 4145 §4: "holdconn").</summary>
    HoldConn,
}
