using System.IO.Pipelines;
using System.Net.Sockets;
using Megaco.Mg.Tls;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// An established bearer as the two pipes an <see cref="MsrpConference"/> leg takes: what the peer sends
/// arrives in <see cref="FromPeer"/>, what is written to <see cref="ToPeer"/> goes to the peer. Each pipe
/// holds at most half of <see cref="MgLimits.MaxBufferedBytesPerStream"/>, so a slow reader on either side
/// reaches the other through TCP flow control. When the conference completes <see cref="ToPeer"/> normally
/// the peer gets a FIN (on a TLS leg close_notify first, RFC 8446 §6.1); completed with an exception (a
/// dropped leg), the connection is reset. On a TLS leg the pipes carry the clear bytes of its session.
/// Owns the bearer and the TLS session.
/// </summary>
public sealed class BearerPipes : IAsyncDisposable
{
    private readonly TcpBearer _bearer;
    private readonly ITlsChannel? _tls;
    private readonly Pipe _fromPeer;
    private readonly Pipe _toPeer;
    private readonly int _receiveSize;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private readonly TimeSpan _inactivity;
    private readonly Action? _onInactivity;
    private long _lastReceive;
    private int _inactivityReported;
    private long _received;
    private long _sent;
    private int _disposed;

    private BearerPipes(TcpBearer bearer, ITlsChannel? tls, BearerPipesOptions options)
    {
        _bearer = bearer;
        _tls = tls;
        var limits = options.Limits;
        _time = options.TimeProvider;
        _lastReceive = _time.GetTimestamp();
        _inactivity = limits.InactivityTimeout;
        _onInactivity = options.OnInactivity;
        if (_inactivity > TimeSpan.Zero && _onInactivity is not null)
        {
            // A quarter of the time, as the relay: an event comes at most 25 % late, one timer per leg.
            var tick = TimeSpan.FromTicks(Math.Max(_inactivity.Ticks / 4, TimeSpan.TicksPerMillisecond * 10));
            _timer = _time.CreateTimer(static state => ((BearerPipes)state!).OnTick(), this, tick, tick);
        }
        int share = limits.MaxBufferedBytesPerStream / 2;
        _receiveSize = Math.Min(DataPathBuilder.MaxReceiveSize, share / 2);
        var pipeOptions = new PipeOptions(
            pauseWriterThreshold: share - _receiveSize,
            resumeWriterThreshold: (share - _receiveSize) / 2,
            minimumSegmentSize: _receiveSize,
            useSynchronizationContext: false);
        _fromPeer = new Pipe(pipeOptions);
        _toPeer = new Pipe(pipeOptions);
        Sent = Task.Run(SendAsync);
        Completion = Task.WhenAll(Task.Run(ReceiveAsync), Sent);
    }

    /// <summary>Starts pumping an established bearer; the pipes own it from here on.</summary>
    public static BearerPipes Start(TcpBearer bearer, BearerPipesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        if (!bearer.IsEstablished)
        {
            throw new InvalidOperationException("the bearer must be established");
        }
        return new BearerPipes(bearer, null, options ?? new BearerPipesOptions());
    }

    /// <summary>
    /// Starts pumping the clear bytes of a TLS session that <see cref="TlsLeg.EstablishAsync"/> established and
    /// verified; the pipes own its bearer and session from here on.
    /// </summary>
    public static BearerPipes Start(TlsLeg leg, BearerPipesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leg);
        if (!leg.Bearer.IsEstablished)
        {
            throw new InvalidOperationException("the bearer must be established");
        }
        return new BearerPipes(leg.Bearer, leg.Channel, options ?? new BearerPipesOptions());
    }

    public PipeReader FromPeer => _fromPeer.Reader;

    public PipeWriter ToPeer => _toPeer.Writer;

    public TcpBearer Bearer => _bearer;

    /// <summary>Whether receiving ended on a broken TLS record or alert after the handshake, not on a socket error.</summary>
    public bool BrokenTls { get; private set; }

    /// <summary>Octets received from the peer (the termination's nt/or).</summary>
    public long BytesReceived => Volatile.Read(ref _received);

    /// <summary>Octets sent to the peer (the termination's nt/os).</summary>
    public long BytesSent => Volatile.Read(ref _sent);

    /// <summary>
    /// Completes when the direction to the peer has stopped: what was written to <see cref="ToPeer"/> is on the
    /// socket and the peer has its FIN (or the connection was reset); never faults.
    /// </summary>
    public Task Sent { get; }

    /// <summary>Completes when both directions have stopped; never faults.</summary>
    public Task Completion { get; }

    private async Task ReceiveAsync()
    {
        var writer = _fromPeer.Writer;
        var socket = _bearer.Connection;
        Exception? error = null;
        try
        {
            while (true)
            {
                if (_tls is not null)
                {
                    // A whole record is decrypted at once: wait for one before taking pipe memory.
                    await _tls.WaitForDataAsync(_stop.Token).ConfigureAwait(false);
                }
                var memory = writer.GetMemory(_receiveSize)[.._receiveSize];
                int received = _tls is null
                    ? await socket.ReceiveAsync(memory, SocketFlags.None, _stop.Token).ConfigureAwait(false)
                    : await _tls.ReceiveAsync(memory, _stop.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }
                writer.Advance(received);
                Interlocked.Add(ref _received, received);
                Volatile.Write(ref _lastReceive, _time.GetTimestamp());
                Volatile.Write(ref _inactivityReported, 0);
                var flush = await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // A reset, a socket error or the pipes being disposed: the reader sees it as the stream's fault.
            error = e;
            BrokenTls = e is TlsRecordException;
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        var reader = _toPeer.Reader;
        var socket = _bearer.Connection;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    if (_tls is null)
                    {
                        await socket.SendAsync(segment, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        await _tls.SendAsync(segment, _stop.Token).ConfigureAwait(false);
                    }
                    Interlocked.Add(ref _sent, segment.Length);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    // RFC 9293 §3.6: the writer is done; the peer may still be sending. RFC 8446 §6.1: on TLS,
                    // close_notify first.
                    if (_tls is null)
                    {
                        socket.Shutdown(SocketShutdown.Send);
                    }
                    else
                    {
                        await _tls.CloseSendAsync(_stop.Token).ConfigureAwait(false);
                    }
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Completed with a fault (the leg was dropped), a socket error, or disposal: reset, so the peer
            // cannot take a cut stream for a complete one.
            _bearer.Abort();
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    private void OnTick()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastReceive)) >= _inactivity && Interlocked.Exchange(ref _inactivityReported, 1) == 0)
        {
            _onInactivity!();
        }
    }

    /// <summary>Stops both pumps, resets the connection if still open, and disposes the TLS session and the bearer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stop.Cancel();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
        await Completion.ConfigureAwait(false);
        _tls?.Dispose();
        await _bearer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
