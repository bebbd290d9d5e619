using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Protocol.Transport;

/// <summary>
/// H.248 over TCP with TPKT framing (H.248.1 Annex D.2; Erlang/OTP megaco opens its sockets with
/// <c>{packet, tpkt}</c>). Listens for peers and connects out on first send; one connection per peer,
/// used in both directions. Reliable, so the transaction layer neither retransmits nor needs acks.
/// </summary>
public sealed partial class TcpTransport : IMegacoTransport
{
    private readonly Socket _listener;
    private readonly MegacoTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<ReceivedMessage> _inbound;
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection>> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<Task, byte> _readLoops = new();

    private TcpTransport(Socket listener, MegacoTransportOptions options, ILogger logger)
    {
        _listener = listener;
        _options = options;
        _logger = logger;
        // Bounded: when the transaction layer falls behind, read loops wait and TCP flow control pushes back on the peer.
        _inbound = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(options.MaxQueuedMessages)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        LocalEndpoint = MegacoEndpoint.Tcp((IPEndPoint)listener.LocalEndPoint!);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public MegacoEndpoint LocalEndpoint { get; }

    public bool IsReliable => true;

    public event Action<MegacoEndpoint, string?>? ConnectionLost;

    public int MaxPduSize => Math.Min(_options.MaxPduSize, TpktFramer.MaxPayloadLength);

    /// <summary>Binds and starts accepting now, so a busy port fails here rather than on first use.</summary>
    public static TcpTransport Listen(MegacoTransportOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Transport != MegacoTransportKind.Tcp)
        {
            throw new ArgumentException($"{options.Listen} is not a TCP endpoint", nameof(options));
        }
        var listener = new Socket(options.Listen.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(options.Listen.EndPoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        var transport = new TcpTransport(listener, options, logger ?? NullLogger.Instance);
        transport.LogListening(transport.LocalEndpoint);
        return transport;
    }

    public async ValueTask SendAsync(MegacoEndpoint peer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // H.248.1 Annex D.2: the TPKT length field bounds one message.
        if (message.Length > MaxPduSize)
        {
            throw new MegacoTransportException($"message of {message.Length} bytes exceeds the maximum PDU size {MaxPduSize}");
        }
        var connection = await GetOrConnectAsync(peer.EndPoint, cancellationToken).ConfigureAwait(false);
        await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken) => _inbound.Reader.ReadAsync(cancellationToken);

    private async Task<TcpConnection> GetOrConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = _connections.GetOrAdd(remote, static (endPoint, self) => self.ConnectAsync(endPoint), this);
            TcpConnection connection;
            try
            {
                connection = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MegacoTransportException)
            {
                _connections.TryRemove(new KeyValuePair<IPEndPoint, Task<TcpConnection>>(remote, pending));
                throw;
            }
            if (!connection.IsClosed)
            {
                return connection;
            }
            _connections.TryRemove(new KeyValuePair<IPEndPoint, Task<TcpConnection>>(remote, pending));
        }
    }

    private async Task<TcpConnection> ConnectAsync(IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(remote, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new MegacoTransportException($"connect to tcp://{remote} failed: {e.Message}", e);
        }
        LogConnected(remote);
        var connection = new TcpConnection(socket, MegacoEndpoint.Tcp(remote));
        StartReading(connection, remote);
        return connection;
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(e.SocketErrorCode);
                continue;
            }
            var remote = TcpConnection.Remote(socket);
            if (!_options.Peers.IsAllowed(MegacoTransportKind.Tcp, remote))
            {
                LogRefusedUnknownPeer(remote);
                socket.Dispose();
                continue;
            }
            LogAccepted(remote);
            var connection = new TcpConnection(socket, MegacoEndpoint.Tcp(remote));
            _connections[remote] = Task.FromResult(connection);
            StartReading(connection, remote);
        }
    }

    private void StartReading(TcpConnection connection, IPEndPoint remote)
    {
        var loop = ReadAsync(connection, remote);
        _readLoops.TryAdd(loop, 0);
        _ = loop.ContinueWith(static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _),
            _readLoops, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ReadAsync(TcpConnection connection, IPEndPoint remote)
    {
        await Task.Yield();
        var reason = await connection.ReadLoopAsync(_inbound.Writer, MaxPduSize, _stopping.Token).ConfigureAwait(false);
        if (reason is not null)
        {
            LogConnectionFailed(remote, reason);
        }
        else
        {
            LogConnectionClosed(remote);
        }
        foreach (var entry in _connections)
        {
            if (entry.Key.Equals(remote) && entry.Value.IsCompletedSuccessfully && ReferenceEquals(entry.Value.Result, connection))
            {
                _connections.TryRemove(entry);
            }
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        if (!_stopping.IsCancellationRequested)
        {
            // H.248.1 Annex D.2: the association must be re-established (reconnect and ServiceChange); the user decides.
            ConnectionLost?.Invoke(connection.Peer, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        // Each read loop sees the stop, closes its connection and ends.
        foreach (var entry in _connections)
        {
            if (entry.Value.IsCompletedSuccessfully)
            {
                entry.Value.Result.Close();
            }
        }
        await Task.WhenAll(_readLoops.Keys).ConfigureAwait(false);
        _inbound.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "H.248 transport listening on {Endpoint}")]
    private partial void LogListening(MegacoEndpoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TCP connection from {Remote}: not a configured peer")]
    private partial void LogRefusedUnknownPeer(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted a TCP connection from {Remote}")]
    private partial void LogAccepted(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to tcp://{Remote}")]
    private partial void LogConnected(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection with {Remote} closed")]
    private partial void LogConnectionClosed(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP connection with {Remote} dropped: {Reason}")]
    private partial void LogConnectionFailed(IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP accept failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);
}
