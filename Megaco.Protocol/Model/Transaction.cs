namespace Megaco.Protocol.Model;

/// <summary>One item of a message's transaction list (H.248.1 Annex B transactionList).</summary>
public abstract record Transaction;

/// <summary><c>Transaction = id { actionRequest *(, actionRequest) }</c>.</summary>
public sealed record TransactionRequest(uint TransactionId, ValueList<ActionRequest> Actions) : Transaction;

/// <summary>
/// <c>Reply = id [/ segmentNumber [/ END]] { [ImmAckRequired ,] (errorDescriptor / actionReplyList) }</c>.
/// Exactly one of <see cref="Error"/> and <see cref="Actions"/> carries the result.
/// </summary>
public sealed record TransactionReply(
    uint TransactionId,
    ValueList<ActionReply> Actions,
    ErrorDescriptor? Error = null,
    bool ImmAckRequired = false,
    ushort? SegmentNumber = null,
    bool SegmentationComplete = false) : Transaction;

/// <summary><c>Pending = id { }</c>.</summary>
public sealed record TransactionPending(uint TransactionId) : Transaction;

/// <summary><c>TransactionResponseAck { id[-id] *(, id[-id]) }</c>.</summary>
public sealed record TransactionResponseAck(ValueList<TransactionAckRange> Acks) : Transaction;

/// <summary>v3 <c>Segment = id / segmentNumber [/ END]</c>.</summary>
public sealed record SegmentReply(uint TransactionId, ushort SegmentNumber, bool SegmentationComplete = false) : Transaction;

/// <summary>One <c>first[-last]</c> range of acknowledged transaction ids.</summary>
public readonly record struct TransactionAckRange(uint First, uint Last)
{
    public static TransactionAckRange Single(uint id) => new(id, id);

    public bool IsSingle => First == Last;
}
