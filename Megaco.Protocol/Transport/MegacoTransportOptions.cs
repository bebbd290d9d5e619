namespace Megaco.Protocol.Transport;

/// <summary>Settings shared by the UDP and TCP transports.</summary>
public sealed record MegacoTransportOptions
{
    /// <summary>Where to listen; port 0 picks a free one.</summary>
    public required MegacoEndpoint Listen { get; init; }

    /// <summary>Who may send; anyone else's messages are dropped and logged.</summary>
    public PeerFilter Peers { get; init; } = PeerFilter.AllowAny;

    /// <summary>Largest message sent or accepted. Over UDP keep it within the path MTU (H.248.1 Annex D.1);
    /// over TCP it cannot exceed the TPKT ceiling of 65531 payload octets (Annex D.2). The default is
    /// Erlang/OTP megaco's practical UDP receive buffer, the IPv4 maximum UDP payload.</summary>
    public int MaxPduSize { get; init; } = 65507;

    /// <summary>Messages received but not yet taken by the transaction layer; beyond it a TCP reader
    /// stops reading (back-pressure) and UDP datagrams wait in the socket buffer.</summary>
    public int MaxQueuedMessages { get; init; } = 1024;
}
