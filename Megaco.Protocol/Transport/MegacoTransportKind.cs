namespace Megaco.Protocol.Transport;

/// <summary>The H.248 transports this stack speaks (H.248.1 Annex D).</summary>
public enum MegacoTransportKind : byte
{
    /// <summary>UDP with application-level framing, one message per datagram (H.248.1 Annex D.1).</summary>
    Udp,

    /// <summary>TCP with a TPKT header before each message (H.248.1 Annex D.2, RFC 1006).</summary>
    Tcp,
}
