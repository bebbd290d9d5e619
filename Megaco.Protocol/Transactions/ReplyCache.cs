using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// At-most-once execution (H.248.1 Annex D.1.1): "the receiver remembers the TransactionIds it has recently
/// executed". A request is entered when its execution starts; its reply is kept until the peer acknowledges
/// it with TransactionResponseAck or the hold time passes (Erlang/OTP megaco's <c>reply_timer</c>), whichever
/// comes first; after an ack only the id is kept, until the hold time ends. Expiry is a sweep over a queue ordered by reply time, not a timer per entry. Not
/// thread-safe: the <see cref="TransactionManager"/> calls it under its lock.
/// </summary>
public sealed class ReplyCache(TimeProvider timeProvider, TimeSpan holdTime)
{
    private readonly Dictionary<(MegacoEndpoint Peer, uint Id), ReplyCacheEntry> _entries = [];
    private readonly Queue<(long ExpiresAt, ReplyCacheEntry Entry)> _expiry = new();
    private readonly long _holdTicks = (long)(holdTime.TotalSeconds * timeProvider.TimestampFrequency);

    private int _acknowledged;

    /// <summary>Requests remembered, executing, replied or acknowledged.</summary>
    public int Count => _entries.Count;

    /// <summary>Requests executing or whose replies are kept (acknowledged ones excluded).</summary>
    public int Live => _entries.Count - _acknowledged;

    public TimeSpan HoldTime => holdTime;

    /// <summary>The state of a request; for <see cref="ReplyState.New"/> the request is entered as executing.</summary>
    public ReplyState Begin(MegacoEndpoint peer, uint transactionId, int version, out ReplyCacheEntry entry)
    {
        if (_entries.TryGetValue((peer, transactionId), out var existing))
        {
            entry = existing;
            return existing.State;
        }
        entry = new ReplyCacheEntry(peer, transactionId, version);
        _entries.Add((peer, transactionId), entry);
        return ReplyState.New;
    }

    /// <summary>Records the reply; it is kept for the hold time from now.</summary>
    public void Complete(ReplyCacheEntry entry, ReadOnlyMemory<byte> reply) => Complete(entry, [reply]);

    /// <summary>Records a reply sent as several messages (v3 segments).</summary>
    public void Complete(ReplyCacheEntry entry, ReadOnlyMemory<byte>[] reply)
    {
        entry.Reply = reply;
        entry.State = ReplyState.Replied;
        _expiry.Enqueue((timeProvider.GetTimestamp() + _holdTicks, entry));
    }

    /// <summary>Drops the replies of <paramref name="peer"/> that the ranges cover (H.248.1 Annex D.1.1); their ids stay until the hold time ends.</summary>
    public int Acknowledge(MegacoEndpoint peer, ValueList<TransactionAckRange> ranges)
    {
        var removed = 0;
        foreach (var range in ranges)
        {
            if ((ulong)range.Last - range.First < 64)
            {
                for (var id = (ulong)range.First; id <= range.Last; id++)
                {
                    removed += Forget(peer, (uint)id) ? 1 : 0;
                }
            }
            else
            {
                // A wide range: walk the entries instead of the ids.
                foreach (var key in _entries.Keys.Where(k => k.Peer.Equals(peer) && k.Id >= range.First && k.Id <= range.Last).ToArray())
                {
                    removed += Forget(peer, key.Id) ? 1 : 0;
                }
            }
        }
        return removed;
    }

    /// <summary>Forgets replies older than the hold time.</summary>
    public int Sweep()
    {
        var now = timeProvider.GetTimestamp();
        var removed = 0;
        while (_expiry.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _expiry.Dequeue();
            var key = (head.Entry.Peer, head.Entry.TransactionId);
            if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, head.Entry))
            {
                _entries.Remove(key);
                _acknowledged -= current.State == ReplyState.Acknowledged ? 1 : 0;
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Removes an entry whatever its state (the execution was abandoned).</summary>
    public void Remove(ReplyCacheEntry entry)
    {
        var key = (entry.Peer, entry.TransactionId);
        if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
        {
            _entries.Remove(key);
            _acknowledged -= current.State == ReplyState.Acknowledged ? 1 : 0;
        }
    }

    public IEnumerable<ReplyCacheEntry> Entries => _entries.Values;

    private bool Forget(MegacoEndpoint peer, uint id)
    {
        // Only a sent reply can be acknowledged; an ack for a request still executing is ignored.
        if (_entries.TryGetValue((peer, id), out var entry) && entry.State == ReplyState.Replied)
        {
            entry.State = ReplyState.Acknowledged;
            entry.Reply = [];
            _acknowledged++;
            return true;
        }
        return false;
    }
}
