namespace Megaco.Protocol.Transactions;

/// <summary>Why a request got no reply (Erlang/OTP megaco names the same reasons in its failed replies).</summary>
public enum TransactionFailure : byte
{
    None,

    /// <summary>No reply after the last retransmission, or no reply within the long timer after a Pending (H.248.1 Annex D.1.2).</summary>
    Timeout,

    /// <summary>The peer sent more Pendings than the configured receive limit allows.</summary>
    PendingLimitExceeded,

    /// <summary>The transport could not send the request (too large, peer unreachable, connection lost).</summary>
    SendFailed,

    /// <summary>The connection the request went on was lost before the reply came (TCP, H.248.1 Annex D.2).</summary>
    ConnectionLost,

    /// <summary>The manager stopped before the reply came.</summary>
    Stopped,

    /// <summary>Segments of a v3 segmented reply were still missing when the segmentation timer ran out after the
    /// last new segment (the seg package's MGC/MG SegmentationTimerValue; Erlang's <c>segment_timeout</c>).</summary>
    SegmentsMissing,

    /// <summary>Not sent: there is no control association with the peer (the MG is not registered with an MGC,
    /// or the MGC no longer has the MG registered).</summary>
    NotAssociated,
}
