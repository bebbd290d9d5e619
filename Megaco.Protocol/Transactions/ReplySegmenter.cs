using Megaco.Protocol.Model;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// Splits a transaction reply too large for one message into v3 segments (H.248.1 v3 Annex B
/// <c>Reply = id / segmentNumber [/ END]</c>): whole action replies in order, numbered from 1, the last marked
/// SegmentationComplete, each message within the PDU size. Pure: the caller supplies the encoder. Segments are
/// not resent one by one on a missing SegmentReply (Erlang's segment_send timer); the requester's retransmission
/// of the request brings all of them again from the reply cache.
/// </summary>
public static class ReplySegmenter
{
    /// <summary>
    /// The encoded segment messages, or null when the reply cannot be segmented: a single action reply does not
    /// fit, the reply is an error, or more than 65535 segments would be needed (segment numbers are UINT16).
    /// </summary>
    public static byte[][]? Split(TransactionReply reply, int maxPduSize, Func<TransactionReply, byte[]> encode)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(encode);
        if (reply.Error is not null || reply.Actions.Count < 2)
        {
            return null;
        }
        // A reply needs at least one action to be written, so sizes are differences: each action's share is what adding
        // it after the first costs (separator included), and the envelope at its widest (largest segment number, END
        // flag) is a one-action segment less the first action's share.
        var first = reply.Actions[0];
        var oneAction = encode(reply with { Actions = [first], SegmentNumber = null, SegmentationComplete = false }).Length;
        var sizes = new int[reply.Actions.Count];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = encode(reply with { Actions = [first, reply.Actions[i]], SegmentNumber = null, SegmentationComplete = false }).Length - oneAction;
        }
        var envelope = encode(reply with { Actions = [first], SegmentNumber = ushort.MaxValue, SegmentationComplete = true }).Length - sizes[0];
        if (envelope + sizes.Max() > maxPduSize)
        {
            return null;
        }
        var groups = new List<(int Start, int Count)>();
        var start = 0;
        var used = envelope;
        for (var i = 0; i < sizes.Length; i++)
        {
            if (used + sizes[i] > maxPduSize)
            {
                groups.Add((start, i - start));
                start = i;
                used = envelope;
            }
            used += sizes[i];
        }
        groups.Add((start, sizes.Length - start));
        if (groups.Count > ushort.MaxValue)
        {
            return null;
        }
        var segments = new byte[groups.Count][];
        for (var n = 0; n < groups.Count; n++)
        {
            var (offset, count) = groups[n];
            var actions = new ValueList<ActionReply>(reply.Actions.AsSpan().Slice(offset, count));
            segments[n] = encode(reply with { Actions = actions, SegmentNumber = (ushort)(n + 1), SegmentationComplete = n == groups.Count - 1 });
            if (segments[n].Length > maxPduSize)
            {
                return null;
            }
        }
        return segments;
    }
}
