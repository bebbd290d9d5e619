using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>A request this side sent and awaits the reply to.</summary>
internal sealed class OutgoingTransaction(uint id, MegacoEndpoint peer, byte[] encoded)
{
    public uint Id { get; } = id;

    public MegacoEndpoint Peer { get; } = peer;

    /// <summary>The request alone in a message; retransmissions reuse it unchanged (H.248.1 Annex D.1.2).</summary>
    public byte[] Encoded { get; } = encoded;

    public TaskCompletionSource<TransactionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ITimer? Timer { get; set; }

    public TimeSpan CurrentWait { get; set; }

    public int Retransmissions { get; set; }

    public int PendingsReceived { get; set; }

    public bool Done { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }
}
