using System.Collections;
using System.Runtime.CompilerServices;

namespace Megaco.Protocol.Model;

/// <summary>
/// An immutable list with structural equality, so that model records compare by content
/// (the round-trip property read(write(read(x))) == read(x) depends on it).
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[]? _items;

    /// <summary>A list of copies of <paramref name="items"/> (the caller keeps its array).</summary>
    public ValueList(ReadOnlySpan<T> items) => _items = items.IsEmpty ? null : items.ToArray();

    public ValueList(IEnumerable<T> items) => _items = items.ToArray() is { Length: > 0 } array ? array : null;

    private ValueList(T[] items) => _items = items.Length == 0 ? null : items;

    /// <summary>Takes <paramref name="items"/> as it is: for arrays no one else writes (the reader's own, or shared immutable ones).</summary>
    internal static ValueList<T> Own(T[] items) => new(items);

    public static ValueList<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public bool IsEmpty => _items is null;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(ValueList<T> other) =>
        AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);

    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", _items ?? []) + "]";
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items);
}
