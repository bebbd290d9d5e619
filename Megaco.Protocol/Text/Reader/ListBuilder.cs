using System.Buffers;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// Collects the items of one list while it is parsed without allocating anything but the final,
/// exactly sized array the model keeps: the first item is held inline (most lists have one), more
/// go to a pooled buffer.
/// </summary>
internal struct ListBuilder<T>
{
    private T _first;
    private T[]? _rented;
    private int _count;

    public readonly int Count => _count;

    public void Add(T item)
    {
        if (_count == 0)
        {
            _first = item;
        }
        else
        {
            if (_rented is null)
            {
                _rented = ArrayPool<T>.Shared.Rent(8);
                _rented[0] = _first;
            }
            else if (_count == _rented.Length)
            {
                var bigger = ArrayPool<T>.Shared.Rent(_count * 2);
                _rented.AsSpan().CopyTo(bigger);
                Return(_rented);
                _rented = bigger;
            }
            _rented[_count] = item;
        }
        _count++;
    }

    public ValueList<T> ToValueList()
    {
        ValueList<T> result;
        if (_count == 0)
        {
            result = ValueList<T>.Empty;
        }
        else if (_rented is null)
        {
            result = new ValueList<T>([_first]);
        }
        else
        {
            result = new ValueList<T>(_rented.AsSpan(0, _count).ToArray());
            Return(_rented);
            _rented = null;
        }
        _count = 0;
        _first = default!;
        return result;
    }

    private static void Return(T[] array) =>
        ArrayPool<T>.Shared.Return(array, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
}
