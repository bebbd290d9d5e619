namespace Megaco.Protocol.Transactions;

/// <summary>Where a received request stands in the <see cref="ReplyCache"/> (H.248.1 Annex D.1.1).</summary>
public enum ReplyState : byte
{
    /// <summary>Never seen (or forgotten after its ack or hold time): execute it.</summary>
    New,

    /// <summary>Still being executed: a duplicate is answered with TransactionPending.</summary>
    Executing,

    /// <summary>Answered: a duplicate is answered with the same reply, never executed again.</summary>
    Replied,

    /// <summary>Answered and acknowledged: the reply is dropped, but the id is remembered until the hold time ends,
    /// so a retransmission still in the network when the ack came is ignored rather than executed again.</summary>
    Acknowledged,
}
