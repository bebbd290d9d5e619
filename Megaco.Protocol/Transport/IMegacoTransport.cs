namespace Megaco.Protocol.Transport;

/// <summary>
/// Carries whole H.248 messages to and from peers; framing (ALF over UDP, TPKT over TCP) stays inside.
/// Only messages from allowed peers are ever returned by <see cref="ReceiveAsync"/>.
/// </summary>
public interface IMegacoTransport : IAsyncDisposable
{
    /// <summary>Where this transport listens (with the port actually bound).</summary>
    MegacoEndpoint LocalEndpoint { get; }

    /// <summary>True when the transport itself delivers reliably and in order (TCP): H.248.1 Annex D.2 then
    /// has the transaction layer neither retransmit nor require TransactionResponseAck.</summary>
    bool IsReliable { get; }

    /// <summary>Largest message this transport sends.</summary>
    int MaxPduSize { get; }

    /// <summary>A connection to a peer was lost, with the reason when it was not an orderly close (TCP only;
    /// UDP has no connections and never raises it). Not raised when the transport itself is disposed.</summary>
    event Action<MegacoEndpoint, string?>? ConnectionLost;

    /// <summary>Sends one encoded message to <paramref name="peer"/>. Throws <see cref="MegacoTransportException"/> when it cannot.</summary>
    ValueTask SendAsync(MegacoEndpoint peer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>The next message from an allowed peer; the memory belongs to the caller.</summary>
    ValueTask<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken);
}
