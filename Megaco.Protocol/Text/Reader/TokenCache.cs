namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// Remembers the immutable model objects made from short, often repeated words (a peer's mId,
/// termination ids, package/item names), so that reading the same word again returns the same object
/// instead of allocating a new one. Direct-mapped and fixed in size: a collision simply replaces the
/// entry, so memory stays bounded whatever the input. Safe to share between threads: an entry is an
/// immutable object replaced whole, so a reader sees an old or a new entry, never half of each.
/// </summary>
internal sealed class TokenCache<T>(int size) where T : class
{
    /// <summary>Longer words are not worth keeping (and are rare).</summary>
    public const int MaxKeyLength = 64;

    private readonly Entry?[] _entries = new Entry?[size];

    public delegate T Factory(ReadOnlySpan<byte> word);

    public T GetOrAdd(ReadOnlySpan<byte> word, Factory factory)
    {
        if (word.Length > MaxKeyLength)
        {
            return factory(word);
        }
        ref var slot = ref Slot(word);
        var entry = Volatile.Read(ref slot);
        if (entry is not null && word.SequenceEqual(entry.Key))
        {
            return entry.Value;
        }
        var value = factory(word);
        Volatile.Write(ref slot, new Entry(word.ToArray(), value));
        return value;
    }

    /// <summary>The object cached for exactly this word, or null.</summary>
    public T? TryGet(ReadOnlySpan<byte> word)
    {
        if (word.Length > MaxKeyLength)
        {
            return null;
        }
        var entry = Volatile.Read(ref Slot(word));
        return entry is not null && word.SequenceEqual(entry.Key) ? entry.Value : null;
    }

    public void Add(ReadOnlySpan<byte> word, T value)
    {
        if (word.Length <= MaxKeyLength)
        {
            Volatile.Write(ref Slot(word), new Entry(word.ToArray(), value));
        }
    }

    /// <summary>
    /// A cheap mix of the length and the first and last eight bytes (where ids like "ip/0/17" and names
    /// differ); a collision only costs a miss, since the whole key is compared, and the table is small
    /// enough that a peer cannot make it grow.
    /// </summary>
    private ref Entry? Slot(ReadOnlySpan<byte> word)
    {
        ulong head, tail;
        if (word.Length >= 8)
        {
            head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(word);
            tail = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(word[^8..]);
        }
        else
        {
            head = 0;
            foreach (var b in word)
            {
                head = (head << 8) | b;
            }
            tail = head;
        }
        var mixed = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)word.Length;
        return ref _entries[(uint)(mixed >> 32) % (uint)_entries.Length];
    }

    private sealed record Entry(byte[] Key, T Value);
}
