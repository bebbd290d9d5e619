using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tls;

/// <summary>The MG's side of a TLS handshake.</summary>
public enum TlsRole : byte
{
    Client,
    Server,
}

public static class TlsRoles
{
    /// <summary>
    /// RFC 8122 §6.2 / RFC 4572 §6: the endpoint that opened the TCP connection (a=setup:active) is the TLS
    /// client, the one that accepted it the TLS server.
    /// </summary>
    public static TlsRole For(SetupRole tcpRole) => tcpRole == SetupRole.Active ? TlsRole.Client : TlsRole.Server;
}
