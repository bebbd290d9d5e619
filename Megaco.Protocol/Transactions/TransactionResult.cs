using Megaco.Protocol.Model;

namespace Megaco.Protocol.Transactions;

/// <summary>The outcome of a sent request: the peer's reply (which may itself carry an error descriptor), or why there is none.</summary>
public sealed record TransactionResult(uint TransactionId, TransactionReply? Reply, TransactionFailure Failure, int PendingsReceived = 0, int Retransmissions = 0)
{
    public bool HasReply => Reply is not null;
}
