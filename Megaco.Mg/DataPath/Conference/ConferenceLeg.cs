using System.Buffers;
using System.IO.Pipelines;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// One participant: its two pipes, its URIs, the lanes that lead to it, and its counters. The source loop
/// (<see cref="ConferenceSource"/>) reads <see cref="Input"/>; the writer loop (<see cref="RunWriterAsync"/>)
/// is the only writer of <see cref="Output"/>.
/// </summary>
internal sealed class ConferenceLeg
{
    private readonly Lock _lanesLock = new();
    private readonly SemaphoreSlim _dataReady = new(0);
    private ConferenceLane[] _lanes = [];
    private bool _lanesClosed;
    private int _ended;

    public ConferenceLeg(string id, PipeReader input, PipeWriter output, byte[] localUri, byte[] remotePath)
    {
        Id = id;
        Input = input;
        Output = output;
        LocalUri = localUri;
        RemotePath = remotePath;
    }

    public string Id { get; }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>The MG's URI on this leg: From-Path of what the conference sends here.</summary>
    public byte[] LocalUri { get; }

    /// <summary>The participant's path (its <c>a=path</c>): To-Path of what the conference sends here.</summary>
    public byte[] RemotePath { get; }

    public CancellationTokenSource Stop { get; } = new();

    public Task Source { get; set; } = Task.CompletedTask;

    public Task Writer { get; set; } = Task.CompletedTask;

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Why the leg ended, once it has; what <see cref="Output"/> is completed with.</summary>
    public MsrpConferenceLegEnd? End { get; private set; }

    public long OctetsReceived;
    public long OctetsSent;
    public long MessagesReceived;
    public long MessagesSent;

    public MsrpConferenceLegStats Stats => new(
        Volatile.Read(ref OctetsReceived), Volatile.Read(ref OctetsSent), Volatile.Read(ref MessagesReceived), Volatile.Read(ref MessagesSent));

    /// <summary>Marks the leg ended (once) and stops both loops; false if it had ended already.</summary>
    public bool TryEnd(MsrpConferenceLegEnd end)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }
        End = end;
        Stop.Cancel();
        return true;
    }

    /// <summary>A new lane into this leg, or null once the leg has stopped taking lanes.</summary>
    public ConferenceLane? OpenLane(ConferenceLeg from, int maxQueuedBytes)
    {
        lock (_lanesLock)
        {
            if (_lanesClosed)
            {
                return null;
            }
            var lane = new ConferenceLane(from, this, maxQueuedBytes);
            _lanes = [.. _lanes, lane];
            return lane;
        }
    }

    /// <summary>Wakes the writer loop: a lane into this leg has new bytes or was completed.</summary>
    public void Signal()
    {
        if (_dataReady.CurrentCount == 0)
        {
            _dataReady.Release();
        }
    }

    /// <summary>
    /// Copies the lanes into <see cref="Output"/>, one chunk at a time, taking the lanes in turn between
    /// chunks. Never throws; when it ends (the leg ended, or the participant's pipe was closed) it closes
    /// every lane into this leg, so their senders stop waiting on them, and completes <see cref="Output"/>.
    /// </summary>
    public async Task RunWriterAsync(Action<ConferenceLeg, MsrpConferenceLegEnd> end)
    {
        var token = Stop.Token;
        ConferenceLane? current = null;
        int next = 0;
        try
        {
            while (true)
            {
                ConferenceLane lane;
                ReadResult result;
                if (current is null)
                {
                    if (!TryReadAnyLane(ref next, out lane!, out result))
                    {
                        await _dataReady.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }
                }
                else
                {
                    lane = current;
                    result = await lane.Pipe.Reader.ReadAsync(token).ConfigureAwait(false);
                }

                var buffer = result.Buffer;
                long take = buffer.Length;
                bool chunkDone = false;
                if (lane.TryPeekChunkEnd(out long chunkEnd) && chunkEnd - lane.Copied <= take)
                {
                    take = chunkEnd - lane.Copied;
                    chunkDone = true;
                }
                bool drained = take == buffer.Length;
                foreach (var segment in buffer.Slice(0, take))
                {
                    Output.Write(segment.Span);
                }
                lane.Copied += take;
                // The buffer is invalid past AdvanceTo: only what was taken from it before is used below.
                lane.Pipe.Reader.AdvanceTo(buffer.GetPosition(take));

                if (chunkDone)
                {
                    lane.PassChunkEnd();
                    current = null;
                }
                else if (result.IsCompleted && drained)
                {
                    RemoveLane(lane);
                    await lane.Pipe.Reader.CompleteAsync().ConfigureAwait(false);
                    current = null;
                }
                else
                {
                    // Inside a chunk: stay on this lane until its end-line has been copied.
                    current = take > 0 ? lane : null;
                }

                if (take > 0)
                {
                    Interlocked.Add(ref OctetsSent, take);
                    var flush = await Output.FlushAsync(token).ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        end(this, new MsrpConferenceLegEnd(Id, MsrpConferenceLegEndReason.OutputClosed));
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The leg ended; its reason is recorded.
        }
        catch (Exception)
        {
            // The participant's pipe failed under us: the connection is gone.
            end(this, new MsrpConferenceLegEnd(Id, MsrpConferenceLegEndReason.OutputClosed));
        }
        await CloseLanesAsync().ConfigureAwait(false);
        var reason = End?.Reason ?? MsrpConferenceLegEndReason.Disposed;
        await Output.CompleteAsync(reason is MsrpConferenceLegEndReason.FramingError or MsrpConferenceLegEndReason.Stalled
            ? new MsrpConferenceLegException(End!.Value)
            : null).ConfigureAwait(false);
    }

    private bool TryReadAnyLane(ref int next, out ConferenceLane? lane, out ReadResult result)
    {
        var lanes = Volatile.Read(ref _lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            var candidate = lanes[(next + i) % lanes.Length];
            if (candidate.Pipe.Reader.TryRead(out result))
            {
                if (result.Buffer.IsEmpty && !result.IsCompleted)
                {
                    candidate.Pipe.Reader.AdvanceTo(result.Buffer.Start);
                    continue;
                }
                // Round robin between chunks: the next pick starts after this lane.
                next = (next + i + 1) % lanes.Length;
                lane = candidate;
                return true;
            }
        }
        lane = null;
        result = default;
        return false;
    }

    private void RemoveLane(ConferenceLane lane)
    {
        lock (_lanesLock)
        {
            _lanes = [.. _lanes.Where(l => l != lane)];
        }
    }

    private async Task CloseLanesAsync()
    {
        ConferenceLane[] lanes;
        lock (_lanesLock)
        {
            _lanesClosed = true;
            lanes = _lanes;
            _lanes = [];
        }
        foreach (var lane in lanes)
        {
            await lane.Pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Releases the stop source; the wake-up semaphore holds no wait handle and may still be signalled by late senders.</summary>
    public void Dispose() => Stop.Dispose();
}
