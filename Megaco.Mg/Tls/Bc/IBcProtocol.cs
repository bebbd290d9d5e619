namespace Megaco.Mg.Tls;

/// <summary>The half-close BouncyCastle's protocol classes lack, added by <see cref="BcServerProtocol"/> and <see cref="BcClientProtocol"/>.</summary>
internal interface IBcProtocol
{
    /// <summary>The peer sent close_notify after the handshake: its direction has ended.</summary>
    bool InputClosed { get; }

    /// <summary>Queues our close_notify while still accepting the peer's data (RFC 8446 §6.1).</summary>
    void SendCloseNotify();
}
