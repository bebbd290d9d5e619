using System.IO.Pipelines;
using System.Net.Sockets;
using Megaco.Mg.Diagnostics;
using Megaco.Mg.Tls;

namespace Megaco.Mg.DataPath;

/// <summary>
/// Joins two established bearers, both directions at once. Each direction is a receive loop writing into
/// its <see cref="DataPath"/> and a send loop draining it; the pipe's pause threshold stops the receive loop,
/// so a slow reader on one side stops the relay from reading the other side (TCP flow control then reaches
/// the sender) and no direction holds more than <see cref="MgLimits.MaxBufferedBytesPerStream"/>.
/// A FIN from one peer becomes a FIN to the other while the opposite direction keeps flowing; a reset or
/// socket error on either side resets both. The relay owns the bearers from <see cref="Start(TcpBearer, TcpBearer, RelayOptions?)"/> on.
/// A TLS side (<see cref="RelayLeg.Secured"/>) is read and written through its session instead of its socket:
/// the path carries clear bytes, a FIN from a TLS peer is its close_notify, and ours is a close_notify then FIN.
/// Plain sides take the socket path as before, with no cost added.
/// </summary>
public sealed partial class Relay : IAsyncDisposable
{
    private readonly TcpBearer _a;
    private readonly TcpBearer _b;
    private readonly RelayOptions _options;
    private readonly MgMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly Flow _fromA;
    private readonly Flow _fromB;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled to stop reading from both peers: on every end but <see cref="RelayEndReason.Closed"/>, and alone by <see cref="DetachAsync"/>.</summary>
    private readonly CancellationTokenSource _reading = new();
    private readonly Lock _endLock = new();
    private readonly ITimer? _timer;
    private readonly Task<RelayEnd> _completion;
    private RelayEnd? _end;
    private int _disposed;

    private Relay(TcpBearer a, TcpBearer b, ITlsChannel? tlsA, ITlsChannel? tlsB, RelayOptions options)
    {
        _a = a;
        _b = b;
        _options = options;
        _metrics = options.Metrics;
        _time = options.TimeProvider;
        var now = _time.GetTimestamp();
        _fromA = new Flow(RelaySide.A, a.Connection, b.Connection, tlsA, tlsB, BuildPath(RelaySide.A), now);
        _fromB = new Flow(RelaySide.B, b.Connection, a.Connection, tlsB, tlsA, BuildPath(RelaySide.B), now);

        var limits = options.Limits;
        var period = Shortest(limits.InactivityTimeout, limits.IdleTimeout);
        if (period > TimeSpan.Zero)
        {
            // A quarter of the timeout: an event comes at most 25 % late, and one timer per relay stays cheap.
            var tick = TimeSpan.FromTicks(Math.Max(period.Ticks / 4, TimeSpan.TicksPerMillisecond * 10));
            _timer = _time.CreateTimer(static state => ((Relay)state!).OnTick(), this, tick, tick);
        }
        _gates = [new Gate(options.FlowFromA), new Gate(options.FlowFromB)];
        _completion = RunAsync();
    }

    /// <summary>Starts relaying between two established bearers; the relay owns them from here on.</summary>
    public static Relay Start(TcpBearer a, TcpBearer b, RelayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckEstablished(a, b);
        return new Relay(a, b, null, null, options ?? new RelayOptions());
    }

    /// <summary>
    /// Starts relaying between two legs, each plain or TLS-terminated (a TLS leg only exists once its
    /// handshake has completed and its peer is verified, so nothing is relayed before that).
    /// </summary>
    public static Relay Start(RelayLeg a, RelayLeg b, RelayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckEstablished(a.Bearer, b.Bearer);
        return new Relay(a.Bearer, b.Bearer, a.Tls?.Channel, b.Tls?.Channel, options ?? new RelayOptions());
    }

    private static void CheckEstablished(TcpBearer a, TcpBearer b)
    {
        if (!a.IsEstablished || !b.IsEstablished)
        {
            throw new InvalidOperationException("both bearers must be established before relaying");
        }
    }

    public TcpBearer A => _a;

    public TcpBearer B => _b;

    /// <summary>Completes when both directions have ended; never faults.</summary>
    public Task<RelayEnd> Completion => _completion;

    /// <summary>Bytes received from a side's peer (its termination's octets received, nt/or); on a TLS side, the decrypted bytes.</summary>
    public long BytesReceived(RelaySide side) => Volatile.Read(ref FlowFrom(side).Received);

    /// <summary>Bytes sent to a side's peer (its termination's octets sent, nt/os); on a TLS side, the bytes before encryption.</summary>
    public long BytesSent(RelaySide side) => Volatile.Read(ref FlowFrom(Other(side)).Sent);

    /// <summary>Bytes received from <paramref name="from"/> and not yet written to the other side.</summary>
    public long BufferedBytes(RelaySide from)
    {
        var flow = FlowFrom(from);
        return Volatile.Read(ref flow.Received) - Volatile.Read(ref flow.Sent);
    }

    private Flow FlowFrom(RelaySide side) => side == RelaySide.A ? _fromA : _fromB;

    private static RelaySide Other(RelaySide side) => side == RelaySide.A ? RelaySide.B : RelaySide.A;

    private static TimeSpan Shortest(TimeSpan x, TimeSpan y) =>
        x == TimeSpan.Zero ? y : y == TimeSpan.Zero ? x : x < y ? x : y;

    private DataPath BuildPath(RelaySide from)
    {
        var builder = new DataPathBuilder();
        _options.ConfigurePath?.Invoke(from, builder);
        return builder.Build(_options.Limits);
    }

    private async Task<RelayEnd> RunAsync()
    {
        var token = _stop.Token;
        await Task.WhenAll(
            ReceiveAsync(_fromA, token),
            SendAsync(_fromA, token),
            ReceiveAsync(_fromB, token),
            SendAsync(_fromB, token),
            _fromA.Path.RunAsync(token),
            _fromB.Path.RunAsync(token)).ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
        TryEnd(new RelayEnd(RelayEndReason.Closed));
        var end = _end!.Value;
        if (end.Reason is not (RelayEndReason.Closed or RelayEndReason.Detached))
        {
            // Propagate the loss: the remaining peer sees a reset rather than a clean FIN, so it cannot
            // mistake a truncated stream for a complete one.
            _a.Abort();
            _b.Abort();
        }
        return end;
    }

    private async Task ReceiveAsync(Flow flow, CancellationToken token)
    {
        var reading = _reading.Token;
        var writer = flow.Path.Input;
        var socket = flow.Source;
        var tls = flow.SourceTls;
        var size = flow.Path.ReceiveSize;
        Exception? error = null;
        try
        {
            var waitForData = true;
            while (true)
            {
                if (waitForData)
                {
                    // Wait for data before taking a buffer (as Kestrel does): an idle connection holds no pipe memory.
                    if (tls is null)
                    {
                        await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, reading).ConfigureAwait(false);
                    }
                    else
                    {
                        await tls.WaitForDataAsync(reading).ConfigureAwait(false);
                    }
                }
                var memory = writer.GetMemory(size)[..size];
                var received = tls is null
                    ? await socket.ReceiveAsync(memory, SocketFlags.None, reading).ConfigureAwait(false)
                    : await tls.ReceiveAsync(memory, reading).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }
                writer.Advance(received);
                Volatile.Write(ref flow.Received, flow.Received + received);
                Volatile.Write(ref flow.LastReceive, _time.GetTimestamp());
                Volatile.Write(ref flow.InactivityReported, 0);
                _metrics?.BytesIn(received);
                waitForData = received < size;
                await GateOf(flow.From).WaitAsync(reading).ConfigureAwait(false);
                var flush = await writer.FlushAsync(reading).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // Detached at a safe point (DetachAsync): a cancelled socket receive either completed with its bytes,
            // which are in the pipe, or took none, which the kernel keeps for whoever reads next. What was read
            // (flushed or not: completing the writer commits it) still goes out; nothing more is read.
        }
        catch (Exception e) when (token.IsCancellationRequested)
        {
            error = e;
        }
        catch (SocketException e)
        {
            error = e;
            Lost(flow.From, e.SocketErrorCode);
        }
        catch (TlsRecordException e)
        {
            error = e;
            TryEnd(new RelayEnd(RelayEndReason.TlsFailed, flow.From));
        }
        catch (Exception e)
        {
            error = e;
            TryEnd(new RelayEnd(RelayEndReason.StageFailed, flow.From));
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task SendAsync(Flow flow, CancellationToken token)
    {
        var reader = flow.Path.Output;
        var socket = flow.Destination;
        var tls = flow.DestinationTls;
        var to = Other(flow.From);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    if (segment.IsEmpty)
                    {
                        // An empty sequence still yields one empty segment: nothing to send (and a socket whose
                        // FIN went out with an earlier relay must not be written to, not even nothing).
                        continue;
                    }
                    if (tls is null)
                    {
                        await socket.SendAsync(segment, SocketFlags.None, token).ConfigureAwait(false);
                    }
                    else
                    {
                        await tls.SendAsync(segment, token).ConfigureAwait(false);
                    }
                    Volatile.Write(ref flow.Sent, flow.Sent + segment.Length);
                    _metrics?.BytesOut(segment.Length);
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    // RFC 9293 §3.6: closing is one direction at a time; the peer's FIN becomes ours towards
                    // the other peer, whose direction keeps flowing until it closes too. RFC 8446 §6.1: on TLS,
                    // close_notify first. A detached relay sends no FIN: the connection goes on elsewhere (a FIN
                    // read from the peer is read again, as 0 bytes, by the next relay of that bearer).
                    if (Volatile.Read(ref _detaching))
                    {
                        break;
                    }
                    if (tls is null)
                    {
                        ShutdownSend(socket);
                    }
                    else
                    {
                        await tls.CloseSendAsync(token).ConfigureAwait(false);
                    }
                    break;
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Stopped: the reason is already recorded.
        }
        catch (SocketException e)
        {
            Lost(to, e.SocketErrorCode);
        }
        catch (TlsRecordException)
        {
            TryEnd(new RelayEnd(RelayEndReason.TlsFailed, to));
        }
        catch (Exception)
        {
            TryEnd(new RelayEnd(RelayEndReason.StageFailed, flow.From));
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Our FIN. A bearer detached from an earlier relay may have sent it already (its peer's FIN is read again
    /// by each relay): once the connection is closed both ways the socket says NotConnected, which is no loss.
    /// </summary>
    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.NotConnected)
        {
            // Already closed both ways.
        }
    }

    private void Lost(RelaySide side, SocketError error)
    {
        if (TryEnd(new RelayEnd(RelayEndReason.PeerLost, side, error)))
        {
            _metrics?.Error(error);
            _options.OnLoss?.Invoke(side, error);
        }
    }

    /// <summary>Records the first reason the relay ends for and stops every loop; later reasons are ignored.</summary>
    private bool TryEnd(RelayEnd end)
    {
        lock (_endLock)
        {
            // A failure while a detached relay drains overrides the detach: the bearers are then reset, not handed back.
            if (_end is { } current && !(current.Reason == RelayEndReason.Detached && end.Reason is not (RelayEndReason.Closed or RelayEndReason.Detached)))
            {
                return false;
            }
            _end = end;
        }
        if (end.Reason == RelayEndReason.Detached)
        {
            Volatile.Write(ref _detaching, true);
            _reading.Cancel();
        }
        else if (end.Reason != RelayEndReason.Closed)
        {
            _stop.Cancel();
            _reading.Cancel();
        }
        return true;
    }

    private void OnTick()
    {
        var limits = _options.Limits;
        var now = _time.GetTimestamp();
        var silentA = _time.GetElapsedTime(Volatile.Read(ref _fromA.LastReceive), now);
        var silentB = _time.GetElapsedTime(Volatile.Read(ref _fromB.LastReceive), now);
        if (limits.InactivityTimeout > TimeSpan.Zero)
        {
            ReportInactivity(_fromA, silentA, limits.InactivityTimeout);
            ReportInactivity(_fromB, silentB, limits.InactivityTimeout);
        }
        if (limits.IdleTimeout > TimeSpan.Zero && silentA >= limits.IdleTimeout && silentB >= limits.IdleTimeout
            && TryEnd(new RelayEnd(RelayEndReason.IdleTimeout)))
        {
            _metrics?.IdleTimedOut();
        }
    }

    private void ReportInactivity(Flow flow, TimeSpan silent, TimeSpan timeout)
    {
        if (silent >= timeout && GateOf(flow.From).IsOpen && Interlocked.Exchange(ref flow.InactivityReported, 1) == 0)
        {
            _options.OnInactivity?.Invoke(flow.From);
        }
    }

    /// <summary>Stops relaying if still running, resets both connections, and disposes both bearers (unless detached: they are the caller's).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        TryEnd(new RelayEnd(RelayEndReason.Stopped));
        var end = await _completion.ConfigureAwait(false);
        if (end.Reason != RelayEndReason.Detached)
        {
            await _a.DisposeAsync().ConfigureAwait(false);
            await _b.DisposeAsync().ConfigureAwait(false);
            _fromA.SourceTls?.Dispose();
            _fromB.SourceTls?.Dispose();
        }
        _stop.Dispose();
        _reading.Dispose();
    }

    /// <summary>One direction: bytes received from <see cref="From"/>'s peer on their way to the other side.</summary>
    private sealed class Flow(RelaySide from, Socket source, Socket destination, ITlsChannel? sourceTls, ITlsChannel? destinationTls, DataPath path, long now)
    {
        public readonly RelaySide From = from;
        public readonly Socket Source = source;
        public readonly Socket Destination = destination;
        public readonly ITlsChannel? SourceTls = sourceTls;
        public readonly ITlsChannel? DestinationTls = destinationTls;
        public readonly DataPath Path = path;
        public long Received;
        public long Sent;
        public long LastReceive = now;
        public int InactivityReported;
    }
}
