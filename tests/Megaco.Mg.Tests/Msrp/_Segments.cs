using System.Buffers;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> whose segments are the given pieces.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(pieces[0], 0);
        var last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(byte[] bytes, params int[] offsets)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        foreach (int offset in offsets)
        {
            pieces.Add(bytes.AsMemory(start, offset - start));
            start = offset;
        }
        pieces.Add(bytes.AsMemory(start));
        return pieces;
    }

    public static IReadOnlyList<ReadOnlyMemory<byte>> Bytewise(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length).Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i, 1)).ToList();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
