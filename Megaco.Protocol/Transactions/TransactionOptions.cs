using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// Settings of a <see cref="TransactionManager"/>. Every default names its source; H.248.1 Annex D fixes
/// none of these values, so the baseline is Erlang/OTP megaco (<c>megaco_config.erl</c>) and the root
/// package's properties.
/// </summary>
public sealed record TransactionOptions
{
    /// <summary>This entity's mId, written in every message header.</summary>
    public required MId MId { get; init; }

    /// <summary>Protocol version of requests this side originates (replies use the request's version).</summary>
    public int Version { get; init; } = 1;

    public TextStyle Style { get; init; } = TextStyle.Compact;

    /// <summary>Retransmission of unanswered requests over UDP (H.248.1 Annex D.1.2); over TCP the same waits
    /// run without resending, so a request still times out.</summary>
    public RetransmitSchedule RequestTimer { get; init; } = RetransmitSchedule.Default;

    /// <summary>How long to wait for the reply after each Pending (Erlang <c>long_request_timer</c>, 60 s).</summary>
    public TimeSpan LongRequestTimer { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a request is sent again when the long timer runs out after a Pending (Erlang
    /// <c>long_request_resend</c>, default false). H.248.1 Annex D.1.3 stops retransmission on Pending, so a
    /// lost final reply then ends in a timeout; with this set the request is resent instead (the responder answers
    /// from its reply cache, or with another Pending), at most <see cref="RetransmitSchedule.MaxRetries"/> times in all.
    /// </summary>
    public bool LongRequestResend { get; init; }

    /// <summary>
    /// Execution time after which a Pending is sent, and again after each further interval (the root package's
    /// MGProvisionalResponseTimerValue / MGCProvisionalResponseTimerValue). 2 s is the value seen in deployed
    /// MGs; it is below the 7 s first retransmission, so a slow request is covered before the peer resends.
    /// Erlang's <c>pending_timer</c> default is 30 s.
    /// </summary>
    public TimeSpan ProvisionalResponseTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a sent reply is kept for duplicates when no ack comes (Erlang <c>reply_timer</c>, 30 s).</summary>
    public TimeSpan ReplyHoldTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most Pendings this side sends for one request before answering 506 (the root package's
    /// MGOriginatedPendingLimit for an MG, MGCOriginatedPendingLimit for an MGC); null for no limit, as Erlang.</summary>
    public int? SentPendingLimit { get; init; }

    /// <summary>Most Pendings accepted from the peer for one request before giving up (the peer's originated limit); null for no limit.</summary>
    public int? ReceivedPendingLimit { get; init; }

    /// <summary>
    /// How long a v3 segmented reply may go without a new segment while segments are missing before the request fails
    /// with <see cref="TransactionFailure.SegmentsMissing"/>: the receiver's segmentation timer (the seg package's
    /// MGCSegmentationTimerValue on an MGC, MGSegmentationTimerValue on an MG), restarted by each new segment. Until
    /// then the request's own retransmission asks for the reply again. Erlang's <c>segment_recv_timer</c>, 10 s.
    /// </summary>
    public TimeSpan SegmentReceiveTimer { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Acks collected before a TransactionResponseAck is sent (Erlang <c>trans_ack_maxcount</c>, 10).</summary>
    public int AckMaxCount { get; init; } = 10;

    /// <summary>Longest an ack waits for others to batch with, or for a request to ride on. Erlang's
    /// <c>trans_timer</c> is 0 (no batching); 100 ms batches a busy peer's acks at little cost in reply memory.</summary>
    public TimeSpan AckDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Received messages waiting for a worker (when <see cref="Workers"/> is more than 1); beyond it the receive loop waits.</summary>
    public int MaxQueuedMessages { get; init; } = 1024;

    /// <summary>Messages decoded in parallel. With 1 (the default) each message is decoded and dispatched on the thread
    /// that received it, which costs least per message (no hand-over between threads); more workers pay a hand-over
    /// through a bounded queue to decode in parallel, which pays only when decoding, not the user's handler, is the limit.</summary>
    public int Workers { get; init; } = 1;

    public MegacoLimits Limits { get; init; } = MegacoLimits.Default;
}
