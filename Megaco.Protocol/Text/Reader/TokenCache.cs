namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// Remembers the immutable model objects made from short, often repeated words (a peer's mId,
/// termination ids, package/item names), so that reading the same word again returns the same object
/// instead of allocating a new one. Direct-mapped and fixed in size: a collision simply replaces the
/// entry, so memory stays bounded whatever the input. An entry is the model object itself, recognised by
/// <typeparamref name="TMatcher"/> (a struct, so the check is inlined rather than called through a delegate),
/// so a miss allocates nothing the model would not allocate anyway. Safe to share between threads: a slot
/// holds one reference, replaced whole.
/// </summary>
internal sealed class TokenCache<T, TMatcher>(int size) where T : class where TMatcher : struct, ITokenMatcher<T>
{
    /// <summary>A power of two, so that a slot is picked with a mask rather than a division.</summary>
    private readonly int _mask = System.Numerics.BitOperations.IsPow2(size) ? size - 1 : throw new ArgumentOutOfRangeException(nameof(size), "a power of two");

    /// <summary>Longer words are not worth keeping (and are rare).</summary>
    public const int MaxKeyLength = 64;

    private readonly T?[] _entries = new T?[size];

    public delegate T Factory(ReadOnlySpan<byte> word);

    public T GetOrAdd(ReadOnlySpan<byte> word, Factory factory)
    {
        if (word.Length > MaxKeyLength)
        {
            return factory(word);
        }
        ref var slot = ref Slot(word);
        var entry = Volatile.Read(ref slot);
        if (entry is not null && TMatcher.Matches(entry, word))
        {
            return entry;
        }
        var value = factory(word);
        Volatile.Write(ref slot, value);
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
        return entry is not null && TMatcher.Matches(entry, word) ? entry : null;
    }

    public void Add(ReadOnlySpan<byte> word, T value)
    {
        if (word.Length <= MaxKeyLength)
        {
            Volatile.Write(ref Slot(word), value);
        }
    }

    /// <summary>
    /// A cheap mix of the length and the first and last eight bytes (where ids like "ip/0/17" and names
    /// differ); a collision only costs a miss, since the whole word is compared, and the table is small
    /// enough that a peer cannot make it grow.
    /// </summary>
    private ref T? Slot(ReadOnlySpan<byte> word)
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
        return ref _entries[(int)(mixed >> 32) & _mask];
    }
}
