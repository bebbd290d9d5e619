using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Megaco.Protocol.Transport;

/// <summary>
/// One TCP connection to a peer: a read loop that cuts TPKT packets (H.248.1 Annex D.2) out of a
/// <see cref="PipeReader"/> and queues them, and serialised writes of whole packets.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    // Neither is disposed: the source has no timer or linked parent, and the semaphore's wait handle is never taken,
    // so a late Cancel or Release racing a close can never meet a disposed object.
    private readonly CancellationTokenSource _closed = new();
    private int _isClosed;

    public TcpConnection(Socket socket, MegacoEndpoint peer)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Peer = peer;
    }

    public MegacoEndpoint Peer { get; }

    public bool IsClosed => Volatile.Read(ref _isClosed) != 0;

    /// <summary>Reads packets until the peer closes, the framing breaks, or the transport stops.
    /// Returns why it stopped (null for an orderly close).</summary>
    public async Task<string?> ReadLoopAsync(ChannelWriter<ReceivedMessage> inbound, int maxPayloadLength, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var token = linked.Token;
        // The pipe never holds more than one packet plus one read: nothing is examined past a packet before it is consumed.
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = TpktFramer.TryRead(ref buffer, maxPayloadLength, out var payload, out var error);
                    if (status == TpktReadStatus.Invalid)
                    {
                        return $"bad TPKT header: {error}";
                    }
                    if (status == TpktReadStatus.NeedMoreData)
                    {
                        break;
                    }
                    await inbound.WriteAsync(new ReceivedMessage(Peer, payload.ToArray()), token).ConfigureAwait(false);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return buffer.IsEmpty ? null : "connection closed inside a packet";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return IsClosed ? null : e.Message;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            Close();
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var packet = ArrayPool<byte>.Shared.Rent(message.Length + TpktFramer.HeaderLength);
        try
        {
            TpktFramer.WriteHeader(packet, message.Length);
            message.Span.CopyTo(packet.AsSpan(TpktFramer.HeaderLength));
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(packet.AsMemory(0, message.Length + TpktFramer.HeaderLength), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Close();
            throw new MegacoTransportException($"send to {Peer} failed: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packet);
        }
    }

    public static IPEndPoint Remote(Socket socket) => (IPEndPoint)socket.RemoteEndPoint!;

    /// <summary>Stops the read loop and closes the socket; safe to call more than once, from any thread.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }
        _closed.Cancel();
        _stream.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
