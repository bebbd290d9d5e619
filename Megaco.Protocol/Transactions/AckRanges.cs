using Megaco.Protocol.Model;

namespace Megaco.Protocol.Transactions;

/// <summary>Turns acknowledged ids into the fewest <c>first-last</c> ranges of a TransactionResponseAck (H.248.1 Annex B).</summary>
public static class AckRanges
{
    public static ValueList<TransactionAckRange> Compress(IEnumerable<uint> ids)
    {
        var sorted = ids.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            return ValueList<TransactionAckRange>.Empty;
        }
        var ranges = new List<TransactionAckRange>();
        var first = sorted[0];
        var last = first;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == last + 1)
            {
                last = sorted[i];
                continue;
            }
            ranges.Add(new TransactionAckRange(first, last));
            first = last = sorted[i];
        }
        ranges.Add(new TransactionAckRange(first, last));
        return new ValueList<TransactionAckRange>(ranges);
    }

    public static bool Contains(ValueList<TransactionAckRange> ranges, uint id)
    {
        foreach (var range in ranges)
        {
            if (id >= range.First && id <= range.Last)
            {
                return true;
            }
        }
        return false;
    }
}
