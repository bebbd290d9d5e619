using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>One received request: its state, the encoded reply once there is one, and its Pending bookkeeping.</summary>
public sealed class ReplyCacheEntry
{
    internal ReplyCacheEntry(MegacoEndpoint peer, uint transactionId, int version)
    {
        Peer = peer;
        TransactionId = transactionId;
        Version = version;
    }

    public MegacoEndpoint Peer { get; }

    public uint TransactionId { get; }

    /// <summary>The version of the request's message, which the reply is written in.</summary>
    public int Version { get; }

    public ReplyState State { get; internal set; } = ReplyState.Executing;

    /// <summary>The encoded messages carrying the reply (one, or one per v3 segment), resent as they are for a duplicate;
    /// empty once acknowledged.</summary>
    public ReadOnlyMemory<byte>[] Reply { get; internal set; } = [];

    /// <summary>TransactionPendings sent because execution outlasted the provisional response time.</summary>
    public int PendingsSent { get; internal set; }

    internal ITimer? PendingTimer { get; set; }

    internal CancellationTokenSource? Execution { get; set; }
}
