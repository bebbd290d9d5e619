using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// The bounded queue of MSRP bytes from one participant to another (or to itself, for the conference's
/// own responses). The source writes whole chunks into it, chunk by chunk, and records where each chunk
/// ends; the destination's writer copies from one lane at a time and may change lanes only at such an
/// offset, so chunks of different senders interleave only at chunk boundaries.
/// </summary>
internal sealed class ConferenceLane
{
    private readonly ConcurrentQueue<long> _chunkEnds = new();

    public ConferenceLane(ConferenceLeg from, ConferenceLeg to, int maxQueuedBytes)
    {
        From = from;
        To = to;
        Pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: maxQueuedBytes,
            resumeWriterThreshold: maxQueuedBytes / 2,
            minimumSegmentSize: Math.Min(4096, maxQueuedBytes),
            useSynchronizationContext: false));
    }

    public ConferenceLeg From { get; }

    public ConferenceLeg To { get; }

    public Pipe Pipe { get; }

    /// <summary>Source side: bytes written so far, flushed or not.</summary>
    public long Written { get; private set; }

    /// <summary>Source side: a chunk's head has gone in and its end-line not yet.</summary>
    public bool InChunk { get; set; }

    /// <summary>Destination side: bytes copied out so far.</summary>
    public long Copied { get; set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Pipe.Writer.Write(bytes);
        Written += bytes.Length;
    }

    /// <summary>Source side: what was written so far ends a chunk.</summary>
    public void EndChunk()
    {
        InChunk = false;
        _chunkEnds.Enqueue(Written);
    }

    /// <summary>Destination side: the offset where the chunk being copied ends, if its end is written yet.</summary>
    public bool TryPeekChunkEnd(out long offset) => _chunkEnds.TryPeek(out offset);

    public void PassChunkEnd() => _chunkEnds.TryDequeue(out _);
}
