using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// Messages produced while the receive loop works through input that was ready together, held until that input
/// is drained and then sent with as few messages as possible: H.248.1 Annex D.1 and D.2 allow several
/// transactions in one message, so consecutive messages to the same peer whose headers (<c>MEGACO/v mId</c>,
/// the first line of every message this layer writes) are byte-equal become one header followed by their
/// transaction lists, never longer than the maximum PDU size. Used by one thread at a time.
/// </summary>
internal sealed class OutboundBatch(int maxPduSize)
{
    /// <summary>Most messages held before they go regardless of further input.</summary>
    public const int MaxMessages = 64;

    private readonly List<(MegacoEndpoint Peer, ReadOnlyMemory<byte> Message)> _held = [];

    public int Count => _held.Count;

    public void Add(MegacoEndpoint peer, ReadOnlyMemory<byte> message) => _held.Add((peer, message));

    /// <summary>Hands every held message, merged where possible, to <paramref name="send"/> (in order per peer) and empties the batch.</summary>
    public void Drain(Action<MegacoEndpoint, ReadOnlyMemory<byte>> send)
    {
        if (_held.Count == 1)
        {
            var (peer, message) = _held[0];
            _held.Clear();
            send(peer, message);
            return;
        }
        for (var first = 0; first < _held.Count; first++)
        {
            var peer = _held[first].Peer;
            if (peer is null)
            {
                continue;
            }
            var merged = new List<ReadOnlyMemory<byte>>();
            var length = 0;
            var header = ReadOnlySpan<byte>.Empty;
            for (var i = first; i < _held.Count; i++)
            {
                var (to, message) = _held[i];
                if (to is null || !to.Equals(peer))
                {
                    continue;
                }
                _held[i] = default;
                var headerLength = message.Span.IndexOf((byte)'\n') + 1;
                var body = message.Length - headerLength;
                var fits = merged.Count > 0 && headerLength > 0 && message.Span[..headerLength].SequenceEqual(header)
                    && length + 1 + body <= maxPduSize;
                if (!fits)
                {
                    Emit(peer, merged, header.Length, length, send);
                    merged.Clear();
                    header = headerLength > 0 ? message.Span[..headerLength] : ReadOnlySpan<byte>.Empty;
                    length = message.Length;
                }
                else
                {
                    length += 1 + body;
                }
                merged.Add(message);
            }
            Emit(peer, merged, header.Length, length, send);
        }
        _held.Clear();
    }

    private static void Emit(MegacoEndpoint peer, List<ReadOnlyMemory<byte>> messages, int headerLength, int length, Action<MegacoEndpoint, ReadOnlyMemory<byte>> send)
    {
        if (messages.Count == 0)
        {
            return;
        }
        if (messages.Count == 1)
        {
            send(peer, messages[0]);
            return;
        }
        var combined = new byte[length];
        messages[0].Span.CopyTo(combined);
        var at = messages[0].Length;
        for (var i = 1; i < messages.Count; i++)
        {
            // A newline is a SEP in both text styles: it keeps a SegmentReply's trailing SafeChar run off the next token.
            combined[at++] = (byte)'\n';
            var body = messages[i].Span[headerLength..];
            body.CopyTo(combined.AsSpan(at));
            at += body.Length;
        }
        send(peer, combined);
    }
}
