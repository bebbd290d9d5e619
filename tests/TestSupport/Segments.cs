using System.Buffers;

namespace Megaco.TestSupport;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands over socket reads, so that
/// framers and parsers can be fed input split anywhere. Shared by the test and benchmark projects.
/// </summary>
internal static class Segments
{
    /// <summary>A sequence whose segments are exactly <paramref name="pieces"/>.</summary>
    public static ReadOnlySequence<byte> Of(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(pieces[0], 0);
        var last = first;
        for (var i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="bytes"/> cut at each of the ascending <paramref name="offsets"/>.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(byte[] bytes, params int[] offsets)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var offset in offsets)
        {
            pieces.Add(bytes.AsMemory(start, offset - start));
            start = offset;
        }
        pieces.Add(bytes.AsMemory(start));
        return pieces;
    }

    /// <summary>One piece per byte.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Bytewise(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length).Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i, 1)).ToList();

    /// <summary>Pieces of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Chunked(byte[] bytes, int size) =>
        Enumerable.Range(0, (bytes.Length + size - 1) / size)
            .Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i * size, Math.Min(size, bytes.Length - i * size)))
            .ToList();

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
