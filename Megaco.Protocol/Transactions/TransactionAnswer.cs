using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Transactions;

/// <summary>The user's answer to a request: action replies, or a transaction-level error (H.248.1 Annex B transactionReply).</summary>
public sealed record TransactionAnswer(ValueList<ActionReply> Actions, ErrorDescriptor? Error = null)
{
    public static TransactionAnswer Replies(ValueList<ActionReply> actions) => new(actions);

    public static TransactionAnswer Failed(H248ErrorCode code, string? text = null) =>
        new(ValueList<ActionReply>.Empty, new ErrorDescriptor((ushort)code, text));
}
