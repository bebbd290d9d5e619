using Megaco.Protocol.Model;
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

    /// <summary>The segmentation timer of a segmented reply being received (restarted by each new segment).</summary>
    public ITimer? SegmentTimer { get; set; }

    /// <summary>Segments received so far.</summary>
    public int SegmentsReceived => _segments?.Count ?? 0;

    /// <summary>The segment numbers not yet received, up to the last one known (the one marked complete, else the highest seen).</summary>
    public IEnumerable<ushort> MissingSegments()
    {
        if (_segments is null)
        {
            yield break;
        }
        var last = _lastSegment ?? _segments.Keys.Last();
        for (var n = (ushort)1; n <= last && n != 0; n++)
        {
            if (!_segments.ContainsKey(n))
            {
                yield return n;
            }
        }
    }

    private SortedDictionary<ushort, TransactionReply>? _segments;
    private ushort? _lastSegment;

    /// <summary>
    /// Adds one segment of a v3 segmented reply; returns the whole reply once segments 1 to the one marked
    /// SegmentationComplete are all in, else null. Duplicated segments replace themselves.
    /// </summary>
    public TransactionReply? AddSegment(TransactionReply segment)
    {
        _segments ??= [];
        _segments[segment.SegmentNumber!.Value] = segment;
        if (segment.SegmentationComplete)
        {
            _lastSegment = segment.SegmentNumber;
        }
        if (_lastSegment is not { } last || _segments.Count != last || _segments.Keys.First() != 1 || _segments.Keys.Last() != last)
        {
            return null;
        }
        var actions = new List<ActionReply>();
        var immAckRequired = false;
        ErrorDescriptor? error = null;
        foreach (var part in _segments.Values)
        {
            actions.AddRange(part.Actions);
            immAckRequired |= part.ImmAckRequired;
            error ??= part.Error;
        }
        return new TransactionReply(segment.TransactionId, new ValueList<ActionReply>(actions), error, immAckRequired);
    }
}
