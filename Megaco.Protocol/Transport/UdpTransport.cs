using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Protocol.Transport;

/// <summary>
/// H.248 over UDP with application-level framing (H.248.1 Annex D.1): one whole message per datagram,
/// none larger than the configured maximum PDU size. Not reliable, so the transaction layer retransmits.
/// </summary>
public sealed partial class UdpTransport : IMegacoTransport
{
    private readonly Socket _socket;
    private readonly MegacoTransportOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _receiveBuffer;
    private readonly IPEndPoint _anyRemote;
    private volatile bool _disposed;

    private UdpTransport(Socket socket, MegacoTransportOptions options, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        // One byte more than the largest accepted message, so an oversize datagram shows as such instead of being cut.
        _receiveBuffer = new byte[options.MaxPduSize + 1];
        var local = (IPEndPoint)socket.LocalEndPoint!;
        _anyRemote = new IPEndPoint(local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        LocalEndpoint = MegacoEndpoint.Udp(local);
    }

    public MegacoEndpoint LocalEndpoint { get; }

    public bool IsReliable => false;

    public event Action<MegacoEndpoint, string?>? ConnectionLost
    {
        add { }
        remove { }
    }

    public int MaxPduSize => _options.MaxPduSize;

    /// <summary>Binds the socket now, so a busy port fails here rather than on first use.</summary>
    public static UdpTransport Bind(MegacoTransportOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Transport != MegacoTransportKind.Udp)
        {
            throw new ArgumentException($"{options.Listen} is not a UDP endpoint", nameof(options));
        }
        var socket = new Socket(options.Listen.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(options.Listen.EndPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var transport = new UdpTransport(socket, options, logger ?? NullLogger.Instance);
        transport.LogListening(transport.LocalEndpoint);
        return transport;
    }

    public async ValueTask SendAsync(MegacoEndpoint peer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // H.248.1 Annex D.1: a message is never split across datagrams, so one larger than the PDU size cannot go.
        if (message.Length > _options.MaxPduSize)
        {
            throw new MegacoTransportException($"message of {message.Length} bytes exceeds the maximum PDU size {_options.MaxPduSize}");
        }
        try
        {
            await _socket.SendToAsync(message, SocketFlags.None, peer.EndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new MegacoTransportException($"send to {peer} failed: {e.SocketErrorCode}", e);
        }
    }

    public async ValueTask<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, _anyRemote, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (_disposed)
            {
                // Closed under a pending receive: report it as closed, so a receive loop ends instead of retrying.
                throw new ObjectDisposedException(nameof(UdpTransport));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP port unreachable from an earlier send surfaces here on some platforms; keep serving.
                LogReceiveFailed(e.SocketErrorCode);
                continue;
            }
            var remote = (IPEndPoint)received.RemoteEndPoint;
            if (!_options.Peers.IsAllowed(MegacoTransportKind.Udp, remote))
            {
                LogDroppedUnknownPeer(remote, received.ReceivedBytes);
                continue;
            }
            if (received.ReceivedBytes > _options.MaxPduSize)
            {
                LogDroppedOversize(remote, _options.MaxPduSize);
                continue;
            }
            return new ReceivedMessage(MegacoEndpoint.Udp(remote), _receiveBuffer.AsSpan(0, received.ReceivedBytes).ToArray());
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "H.248 transport listening on {Endpoint}")]
    private partial void LogListening(MegacoEndpoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Bytes} bytes from {Remote}: not a configured peer")]
    private partial void LogDroppedUnknownPeer(IPEndPoint remote, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a datagram from {Remote}: larger than the maximum PDU size {MaxPduSize}")]
    private partial void LogDroppedOversize(IPEndPoint remote, int maxPduSize);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);
}
