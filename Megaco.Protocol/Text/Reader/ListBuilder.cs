using System.Buffers;
using System.Runtime.CompilerServices;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// Collects the items of one list while it is parsed without allocating anything but the final,
/// exactly sized array the model keeps: up to four items are held inline (most lists are that short),
/// more go to a pooled buffer.
/// </summary>
internal struct ListBuilder<T>
{
    private T _item0;
    private T _item1;
    private T _item2;
    private T _item3;
    private T[]? _rented;
    private int _count;

    public readonly int Count => _count;

    public void Add(T item)
    {
        switch (_count)
        {
            case 0:
                _item0 = item;
                break;
            case 1:
                _item1 = item;
                break;
            case 2:
                _item2 = item;
                break;
            case 3:
                _item3 = item;
                break;
            default:
                if (_rented is null)
                {
                    _rented = ArrayPool<T>.Shared.Rent(16);
                }
                else if (_count - 4 == _rented.Length)
                {
                    var bigger = ArrayPool<T>.Shared.Rent(_rented.Length * 2);
                    _rented.AsSpan().CopyTo(bigger);
                    Return(_rented);
                    _rented = bigger;
                }
                _rented[_count - 4] = item;
                break;
        }
        _count++;
    }

    public ValueList<T> ToValueList()
    {
        if (_count == 0)
        {
            return ValueList<T>.Empty;
        }
        var items = new T[_count];
        // Writing through a reference skips the array covariance check of each store: the array is
        // exactly a T[] made here, so the check could never fail.
        ref var first = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(items);
        first = _item0;
        if (_count > 1)
        {
            Unsafe.Add(ref first, 1) = _item1;
        }
        if (_count > 2)
        {
            Unsafe.Add(ref first, 2) = _item2;
        }
        if (_count > 3)
        {
            Unsafe.Add(ref first, 3) = _item3;
        }
        if (_rented is not null)
        {
            _rented.AsSpan(0, _count - 4).CopyTo(items.AsSpan(4));
            Return(_rented);
        }
        this = default;
        return ValueList<T>.Own(items);
    }

    private static void Return(T[] array) =>
        ArrayPool<T>.Shared.Return(array, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
}
