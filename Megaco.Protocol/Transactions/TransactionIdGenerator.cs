namespace Megaco.Protocol.Transactions;

/// <summary>
/// Allocates transaction ids (H.248.1 Annex B: TransactionID = UINT32) that never collide with one still
/// outstanding, wrapping from 4294967295 back to 1. Zero is never used: Erlang/OTP megaco's
/// <c>min_trans_id</c> is 1, and 0 is what decoders commonly report for a transaction whose id could not
/// be read, so a reply to it could be mistaken for one to a real request. Not thread-safe: the
/// <see cref="TransactionManager"/> calls it under its lock.
/// </summary>
public sealed class TransactionIdGenerator
{
    private readonly HashSet<uint> _outstanding = [];
    private uint _next;

    /// <param name="first">The first id handed out (tests start near the wrap).</param>
    public TransactionIdGenerator(uint first = 1) => _next = first == 0 ? 1 : first;

    public int Outstanding => _outstanding.Count;

    /// <summary>The next id not outstanding; it stays outstanding until <see cref="Release"/>.</summary>
    public uint Allocate()
    {
        if (_outstanding.Count >= int.MaxValue)
        {
            throw new InvalidOperationException("no transaction id left");
        }
        while (true)
        {
            var candidate = _next;
            _next = candidate == uint.MaxValue ? 1 : candidate + 1;
            if (_outstanding.Add(candidate))
            {
                return candidate;
            }
        }
    }

    public void Release(uint id) => _outstanding.Remove(id);

    /// <summary>Moves the counter as if the id space had been walked round (tests cannot allocate 2^32 ids).</summary>
    internal void SeekTo(uint next) => _next = next == 0 ? 1 : next;
}
