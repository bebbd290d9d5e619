using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.DataPath;

/// <summary>
/// The one TCP connection of a termination. In a listening role (passive, actpass) it accepts on its rented
/// port the first connection the <see cref="LatchingPolicy"/> admits, refusing the others, and then stops
/// listening (or, with <see cref="TcpBearerOptions.KeepRefusing"/>, keeps refusing later ones with a count); in the active role it connects out with bounded retries (RFC 4145 §4.1). Disposing
/// closes the connection, the listener and returns the port.
/// </summary>
public sealed class TcpBearer : IAsyncDisposable
{
    private readonly TcpBearerOptions _options;
    private readonly BearerPortLease? _lease;
    private Socket? _connection;

    /// <summary>The socket of the outgoing attempt in progress, which disposing closes (that ends the attempt).</summary>
    private Socket? _connecting;
    private Task _refusing = Task.CompletedTask;
    private int _refused;
    private int _disposed;

    private TcpBearer(TcpBearerOptions options, BearerPortLease? lease, LatchingPolicy? policy)
    {
        _options = options;
        _lease = lease;
        Policy = policy;
    }

    /// <summary>
    /// A bearer in <paramref name="options"/>' role. Listening roles need <paramref name="lease"/> (the port
    /// the Local descriptor announced), which the bearer then owns; the active role needs a Remote address.
    /// </summary>
    public static TcpBearer Create(TcpBearerOptions options, BearerPortLease? lease = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        LatchingPolicy? policy = null;
        if (SetupRoles.Listens(options.Role))
        {
            if (lease is null)
            {
                throw new ArgumentException($"a {options.Role} bearer listens and needs a port lease", nameof(lease));
            }
            if (!options.Latching && options.Remote is null)
            {
                throw new ArgumentException("without latching the Remote address decides who may connect", nameof(options));
            }
            policy = options.Latching ? LatchingPolicy.Latch() : LatchingPolicy.ExpectRemote(options.Remote!.Address);
        }
        else if (options.Role == SetupRole.Active && options.Remote is null)
        {
            throw new ArgumentException("an active bearer connects to the Remote address", nameof(options));
        }
        return new TcpBearer(options, lease, policy);
    }

    public SetupRole Role => _options.Role;

    /// <summary>Who may connect to a listening bearer; null for the active and holdconn roles.</summary>
    public LatchingPolicy? Policy { get; }

    /// <summary>The rented port's endpoint for a listening bearer (what goes into the Local descriptor).</summary>
    public IPEndPoint? ListenEndPoint => _lease?.EndPoint;

    /// <summary>The established connection's peer: the latched source for a latching bearer.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    public bool IsEstablished => _connection is not null;

    /// <summary>Connections refused on this termination's port: before establishment, and after it with <see cref="TcpBearerOptions.KeepRefusing"/>.</summary>
    public int RefusedConnections => Volatile.Read(ref _refused);

    /// <summary>Why the last outgoing attempt failed.</summary>
    public SocketError LastError { get; private set; }

    internal MgLimits Limits => _options.Limits;

    internal Socket Connection => _connection ?? throw new InvalidOperationException("the bearer is not established");

    /// <summary>
    /// Accepts or connects per the role, within <see cref="MgLimits.HandshakeTimeout"/> (per attempt when
    /// connecting out). Expected failures are outcomes; only cancellation by the caller throws. Not to be
    /// called again while a call is running.
    /// </summary>
    public async ValueTask<BearerOutcome> EstablishAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_connection is not null)
        {
            return BearerOutcome.Established;
        }
        return _options.Role switch
        {
            SetupRole.HoldConn => BearerOutcome.Held,
            SetupRole.Active => await ConnectAsync(cancellationToken).ConfigureAwait(false),
            _ => await AcceptAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    private async ValueTask<BearerOutcome> AcceptAsync(CancellationToken cancellationToken)
    {
        var listener = _lease!.Listener;
        using var timeout = Timeout(cancellationToken);
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfDisposed();
                _options.Metrics?.Error(SocketError.TimedOut);
                return BearerOutcome.TimedOut;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException && IsDisposed)
            {
                // Disposing closed the listener under the pending accept.
                ThrowIfDisposed();
                throw;
            }
            var source = (IPEndPoint)accepted.RemoteEndPoint!;
            if (!Policy!.TryAdmit(source))
            {
                Refuse(accepted, source);
                continue;
            }
            accepted.NoDelay = true;
            Established(accepted, source);
            if (_options.KeepRefusing)
            {
                _refusing = RefuseLaterAsync(listener);
            }
            else
            {
                // The lease stays rented (the port is still this termination's); only its descriptor goes.
                _lease.CloseListener();
            }
            return BearerOutcome.Established;
        }
    }

    /// <summary>
    /// Keeps the port listening after establishment so later connections are refused with a reset and
    /// counted, rather than left to the backlog: a termination carries one connection.
    /// </summary>
    private async Task RefuseLaterAsync(Socket listener)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
            Refuse(accepted, (IPEndPoint)accepted.RemoteEndPoint!);
        }
    }

    private void Refuse(Socket accepted, IPEndPoint source)
    {
        // Counted and reported before the reset, so whoever sees the reset also sees the count.
        Interlocked.Increment(ref _refused);
        _options.Metrics?.ConnectionRefused();
        _options.OnRefused?.Invoke(source);
        // Linger 0 turns the close into a RST (RFC 9293 §3.10.7.1 abort), so the refused peer learns at once.
        accepted.LingerState = new LingerOption(true, 0);
        accepted.Dispose();
    }

    private async ValueTask<BearerOutcome> ConnectAsync(CancellationToken cancellationToken)
    {
        var remote = _options.Remote!;
        var limits = _options.Limits;
        for (var attempt = 1; ; attempt++)
        {
            ThrowIfDisposed();
            var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Volatile.Write(ref _connecting, socket);
            using (var timeout = Timeout(cancellationToken))
            {
                try
                {
                    // Disposing between the check above and the store is seen here, or it closes the socket.
                    ThrowIfDisposed();
                    var local = _options.LocalAddress ?? _lease?.EndPoint.Address;
                    if (local is not null)
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                    }
                    await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
                    Established(socket, remote);
                    return BearerOutcome.Established;
                }
                catch (SocketException e) when (!IsDisposed)
                {
                    socket.Dispose();
                    LastError = e.SocketErrorCode;
                }
                catch (OperationCanceledException) when (!IsDisposed)
                {
                    socket.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                    LastError = SocketError.TimedOut;
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
                {
                    socket.Dispose();
                    ThrowIfDisposed();
                    throw;
                }
                finally
                {
                    Interlocked.CompareExchange(ref _connecting, null, socket);
                }
            }
            _options.Metrics?.Error(LastError);
            if (attempt >= limits.ConnectAttempts)
            {
                return LastError == SocketError.TimedOut ? BearerOutcome.TimedOut : BearerOutcome.Failed;
            }
            await Task.Delay(limits.ConnectRetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The handshake timeout for one accept or connect, with the caller's cancellation. Disposing the bearer
    /// closes the socket waited on instead of cancelling, so no registration per bearer outlives the wait.
    /// </summary>
    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var timeout = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : new CancellationTokenSource();
        timeout.CancelAfter(_options.Limits.HandshakeTimeout);
        return timeout;
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private void Established(Socket socket, IPEndPoint remote)
    {
        RemoteEndPoint = remote;
        _options.Metrics?.ConnectionOpened();
        Volatile.Write(ref _connection, socket);
    }

    /// <summary>Resets the connection now (linger 0, RFC 9293 §3.10.7.1 abort) instead of closing it gracefully: used when the other leg was lost.</summary>
    internal void Abort()
    {
        if (_connection is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Already closed: nothing left to reset.
            }
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Closing the sockets waited on ends a pending accept or connect (it then throws ObjectDisposedException).
        Interlocked.Exchange(ref _connecting, null)?.Dispose();
        _lease?.Dispose();
        await _refusing.ConfigureAwait(false);
        if (Volatile.Read(ref _connection) is { } socket)
        {
            socket.Dispose();
            _options.Metrics?.ConnectionClosed();
        }
    }
}
