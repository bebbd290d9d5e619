using System.Buffers;
using System.Net.Sockets;
using Megaco.Mg.Diagnostics;
using Megaco.Mg.Tls;

namespace Megaco.Mg.DataPath;

/// <summary>
/// Joins two established bearers, both directions at once. A direction without stages (the transparent
/// relay) is one loop: wait for data holding no buffer (a zero-byte receive), rent a buffer, receive, send
/// it all, and return the buffer once the socket is drained, so an idle connection holds no memory of its
/// own; the loop does not receive again before the send is done, so a slow reader on one side stops the
/// relay from reading the other side (TCP flow control then reaches the sender) and the relay holds at most
/// one receive per direction. A direction with stages runs a receive loop into its <see cref="DataPath"/>
/// and a send loop draining it; the pipes' pause thresholds keep it within
/// <see cref="MgLimits.MaxBufferedBytesPerStream"/>.
/// A FIN from one peer becomes a FIN to the other while the opposite direction keeps flowing; a reset or
/// socket error on either side resets both. The relay owns the bearers from <see cref="Start(TcpBearer, TcpBearer, RelayOptions?)"/> on.
/// A TLS side (<see cref="RelayLeg.Secured"/>) is read and written through its session instead of its socket:
/// the path carries clear bytes, a FIN from a TLS peer is its close_notify, and ours is a close_notify then FIN.
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

    /// <summary>Cancelled to stop reading from both peers: by every end but <see cref="RelayEndReason.Closed"/>, and alone by <see cref="DetachAsync"/>.</summary>
    private readonly CancellationTokenSource _reading = new();
    private readonly Lock _endLock = new();
    private readonly Task<RelayEnd> _completion;
    private RelayEnd? _end;

    /// <summary>Both loops have ended: a detach can no longer be overridden (the bearers are the caller's).</summary>
    private bool _loopsEnded;
    private int _disposed;

    private Relay(TcpBearer a, TcpBearer b, ITlsChannel? tlsA, ITlsChannel? tlsB, RelayOptions options)
    {
        _a = a;
        _b = b;
        _options = options;
        _metrics = options.Metrics;
        _time = options.TimeProvider;
        var now = _time.GetTimestamp();
        _fromA = new Flow(RelaySide.A, a.Connection, b.Connection, tlsA, tlsB, BuildPath(RelaySide.A), ReceiveSize(options.Limits), now, options.FlowFromA);
        _fromB = new Flow(RelaySide.B, b.Connection, a.Connection, tlsB, tlsA, BuildPath(RelaySide.B), ReceiveSize(options.Limits), now, options.FlowFromB);
        var limits = options.Limits;
        var period = Shortest(limits.InactivityTimeout, limits.IdleTimeout);
        if (period > TimeSpan.Zero)
        {
            // A quarter of the timeout: an event comes at most 25 % late. One queue per period and clock
            // serves every relay, so a relay costs no timer of its own. Queued before the loops start, so a
            // relay that ends at once is already there to be removed.
            RelayTimers.For(_time).Add(this, TimeSpan.FromTicks(Math.Max(period.Ticks / 4, TimeSpan.TicksPerMillisecond * 10)));
        }
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

    /// <summary>The stages of one direction, or null for a direction without any (the one-loop copy).</summary>
    private DataPath? BuildPath(RelaySide from)
    {
        if (_options.ConfigurePath is not { } configure)
        {
            return null;
        }
        var builder = new DataPathBuilder();
        configure(from, builder);
        return builder.Count == 0 ? null : builder.Build(_options.Limits);
    }

    /// <summary>
    /// The most one receive takes without stages: the whole window, since such a direction holds one receive
    /// at a time (64 KiB by default; half the system calls of 32 KiB receives).
    /// </summary>
    private static int ReceiveSize(MgLimits limits) => limits.MaxBufferedBytesPerStream;

    private async Task<RelayEnd> RunAsync()
    {
        var token = _stop.Token;
        // Both directions run from here on; awaiting one then the other needs no combined task (loops never throw).
        var fromA = RunAsync(_fromA, token);
        var fromB = RunAsync(_fromB, token);
        await fromA.ConfigureAwait(false);
        await fromB.ConfigureAwait(false);
        lock (_endLock)
        {
            _loopsEnded = true;
        }
        RelayTimers.For(_time).Remove(this);
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

    private Task RunAsync(Flow flow, CancellationToken token)
    {
        if (flow.Path is not { } path)
        {
            return CopyAsync(flow, token);
        }
        return Task.WhenAll(ReceiveAsync(flow, path, token), SendAsync(flow, path, token), path.RunAsync(token));
    }

    /// <summary>
    /// A direction without stages. Plain sockets are non-blocking, so a receive after the wait and a send
    /// with room in the socket buffer complete at once without an asynchronous operation; a send waits
    /// asynchronously only for what the socket buffer cannot take. A stop resets the sockets, which ends
    /// any pending operation, so plain operations carry no cancellation registration.
    /// </summary>
    private async Task CopyAsync(Flow flow, CancellationToken token)
    {
        var source = flow.Source;
        var sourceTls = flow.SourceTls;
        var size = flow.ReceiveSize;
        var reading = _reading.Token;
        byte[]? buffer = null;
        var sending = false;
        try
        {
            // Inside the try: the other direction may already have failed and reset both sockets.
            if (sourceTls is null)
            {
                source.Blocking = false;
            }
            if (flow.DestinationTls is null)
            {
                flow.Destination.Blocking = false;
            }
            while (true)
            {
                if (Detaching)
                {
                    // DetachAsync: everything read so far has gone out; nothing more is read.
                    break;
                }
                if (buffer is null)
                {
                    // Wait for data before taking a buffer (as Kestrel does): an idle connection holds none. Only
                    // this wait carries the reading token, so a detach can end it without closing the socket.
                    try
                    {
                        if (sourceTls is null)
                        {
                            await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, reading).ConfigureAwait(false);
                        }
                        else
                        {
                            await sourceTls.WaitForDataAsync(reading).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (Detaching)
                    {
                        // Detached while waiting: what arrives stays in the kernel (or the session) for the next reader.
                        break;
                    }
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                }
                int received;
                if (sourceTls is null)
                {
                    received = source.Receive(buffer.AsSpan(0, size), SocketFlags.None, out var error);
                    if (error == SocketError.WouldBlock)
                    {
                        // Drained (or woken with nothing to read): give the buffer back and wait again.
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                        continue;
                    }
                    if (error != SocketError.Success)
                    {
                        throw new SocketException((int)error);
                    }
                }
                else
                {
                    try
                    {
                        received = await sourceTls.ReceiveAsync(buffer.AsMemory(0, size), reading).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (Detaching)
                    {
                        // A record read in part stays in the session for the next reader.
                        break;
                    }
                }
                if (received == 0)
                {
                    // A detached relay sends no FIN: the connection goes on elsewhere, and the peer's FIN, left
                    // unconsumed, is read again (as 0 bytes) by the bearer's next relay.
                    if (!Detaching)
                    {
                        sending = true;
                        await CloseSendAsync(flow, token).ConfigureAwait(false);
                    }
                    break;
                }
                Received(flow, received);
                try
                {
                    await flow.WaitAsync(reading).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (Detaching)
                {
                    // Detached while the gate held these bytes: what was read still goes out (none lost), then
                    // nothing more is read.
                }
                sending = true;
                await SendAllAsync(flow, buffer.AsMemory(0, received), token).ConfigureAwait(false);
                sending = false;
                if (received < size)
                {
                    // A short read drained the socket (or the session's records): wait again without a buffer.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception e)
        {
            Failed(flow, e, token, sending);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Stopping reading at a safe point for <see cref="DetachAsync"/>, not halted.</summary>
    private bool Detaching => Volatile.Read(ref _detaching) && !_stop.IsCancellationRequested;

    private async ValueTask SendAllAsync(Flow flow, ReadOnlyMemory<byte> bytes, CancellationToken token)
    {
        if (flow.DestinationTls is { } tls)
        {
            await tls.SendAsync(bytes, token).ConfigureAwait(false);
        }
        else
        {
            var socket = flow.Destination;
            var sent = socket.Send(bytes.Span, SocketFlags.None, out var error);
            if (error is not (SocketError.Success or SocketError.WouldBlock))
            {
                throw new SocketException((int)error);
            }
            if (sent < bytes.Length)
            {
                // The socket buffer is full: this is where the other peer's backpressure arrives.
                await socket.SendAsync(bytes[sent..], SocketFlags.None).ConfigureAwait(false);
            }
        }
        Sent(flow, bytes.Length);
    }

    private static async ValueTask CloseSendAsync(Flow flow, CancellationToken token)
    {
        // RFC 9293 §3.6: closing is one direction at a time; the peer's FIN becomes ours towards the other
        // peer, whose direction keeps flowing until it closes too. RFC 8446 §6.1: on TLS, close_notify first.
        if (flow.DestinationTls is { } tls)
        {
            await tls.CloseSendAsync(token).ConfigureAwait(false);
        }
        else
        {
            ShutdownSend(flow.Destination);
        }
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

    private void Received(Flow flow, int count)
    {
        Volatile.Write(ref flow.Received, flow.Received + count);
        Volatile.Write(ref flow.LastReceive, _time.GetTimestamp());
        Volatile.Write(ref flow.InactivityReported, 0);
        _metrics?.BytesIn(count);
    }

    private void Sent(Flow flow, int count)
    {
        Volatile.Write(ref flow.Sent, flow.Sent + count);
        _metrics?.BytesOut(count);
    }

    /// <summary>Records why a loop of <paramref name="flow"/> failed: the side whose socket or session failed is the one lost.</summary>
    private void Failed(Flow flow, Exception e, CancellationToken token, bool sending)
    {
        if (token.IsCancellationRequested)
        {
            // Stopped: the reason is already recorded.
            return;
        }
        var side = sending ? Other(flow.From) : flow.From;
        switch (e)
        {
            case SocketException socketError:
                Lost(side, socketError.SocketErrorCode);
                break;
            case TlsRecordException:
                TryEnd(new RelayEnd(RelayEndReason.TlsFailed, side));
                break;
            default:
                TryEnd(new RelayEnd(RelayEndReason.StageFailed, flow.From));
                break;
        }
    }

    private async Task ReceiveAsync(Flow flow, DataPath path, CancellationToken token)
    {
        var writer = path.Input;
        var socket = flow.Source;
        var tls = flow.SourceTls;
        var size = path.ReceiveSize;
        var reading = _reading.Token;
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
                Received(flow, received);
                waitForData = received < size;
                await flow.WaitAsync(reading).ConfigureAwait(false);
                var flush = await writer.FlushAsync(reading).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (Detaching)
        {
            // Detached at a safe point: a cancelled socket receive either completed with its bytes, which are in
            // the pipe, or took none, which the kernel keeps for whoever reads next. What was read (flushed or
            // not: completing the writer commits it) still goes out; nothing more is read.
        }
        catch (Exception e)
        {
            error = e;
            Failed(flow, e, token, sending: false);
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task SendAsync(Flow flow, DataPath path, CancellationToken token)
    {
        var reader = path.Output;
        var socket = flow.Destination;
        var tls = flow.DestinationTls;
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
                    Sent(flow, segment.Length);
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!Detaching)
                    {
                        await CloseSendAsync(flow, token).ConfigureAwait(false);
                    }
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // A stage's failure reaches here through the pipe: it is the stage's, not the destination's.
            Failed(flow, e, token, sending: e is SocketException or TlsRecordException);
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    private void Lost(RelaySide side, SocketError error)
    {
        if (Record(new RelayEnd(RelayEndReason.PeerLost, side, error)))
        {
            _metrics?.Error(error);
            _options.OnLoss?.Invoke(side, error);
            Halt();
        }
    }

    /// <summary>
    /// Records the first reason the relay ends for and, unless both peers closed, stops every loop: a detach
    /// stops reading only (<see cref="DetachAsync"/>); any other reason halts.
    /// </summary>
    private bool TryEnd(RelayEnd end)
    {
        if (!Record(end))
        {
            return false;
        }
        if (end.Reason == RelayEndReason.Detached)
        {
            Volatile.Write(ref _detaching, true);
            _reading.Cancel();
        }
        else if (end.Reason != RelayEndReason.Closed)
        {
            Halt();
        }
        return true;
    }

    /// <summary>
    /// Records the first reason the relay ends for; later reasons are ignored, except that a failure while a
    /// detached relay drains overrides the detach (the bearers are then reset, not handed back).
    /// </summary>
    private bool Record(RelayEnd end)
    {
        lock (_endLock)
        {
            if (_end is { } current
                && (_loopsEnded || !(current.Reason == RelayEndReason.Detached && end.Reason is not (RelayEndReason.Closed or RelayEndReason.Detached))))
            {
                return false;
            }
            _end = end;
            return true;
        }
    }

    /// <summary>
    /// Stops every loop: cancels what waits on the token (TLS sessions, stages, closed gates) and resets both
    /// connections, which ends the plain socket operations, so those carry no cancellation registration.
    /// </summary>
    private void Halt()
    {
        _stop.Cancel();
        _reading.Cancel();
        _a.Abort();
        _b.Abort();
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
        if (silent >= timeout && flow.IsOpen && Interlocked.Exchange(ref flow.InactivityReported, 1) == 0)
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

    /// <summary>One direction: bytes received from <see cref="From"/>'s peer on their way to the other side, and its gate.</summary>
    private sealed partial class Flow(RelaySide from, Socket source, Socket destination, ITlsChannel? sourceTls, ITlsChannel? destinationTls,
        DataPath? path, int receiveSize, long now, bool open)
    {
        public readonly RelaySide From = from;
        public readonly Socket Source = source;
        public readonly Socket Destination = destination;
        public readonly ITlsChannel? SourceTls = sourceTls;
        public readonly ITlsChannel? DestinationTls = destinationTls;

        /// <summary>The stages' pipes; null for a direction without stages.</summary>
        public readonly DataPath? Path = path;

        /// <summary>The most one receive takes without stages.</summary>
        public readonly int ReceiveSize = receiveSize;
        public long Received;
        public long Sent;
        public long LastReceive = now;
        public int InactivityReported;
        private TaskCompletionSource? _closed = open ? null : NewClosed();
    }
}
