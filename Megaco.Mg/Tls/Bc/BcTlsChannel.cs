using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tls;

/// <summary>
/// BouncyCastle's non-blocking TLS engine driven over a socket: ciphertext received is offered to the
/// protocol, decrypted bytes are read out, and whatever the protocol queues (records, alerts, key updates)
/// is sent under one gate so it leaves in order. The protocol object is not thread-safe: every call is
/// under <see cref="_sync"/>. Buffers are rented only while data moves, so an idle session holds none.
/// </summary>
internal sealed class BcTlsChannel : ITlsChannel
{
    /// <summary>Two full records (RFC 8446 §5.2: 2^14 plus at most 256 octets of expansion each).</summary>
    private const int ReceiveBufferSize = 2 * (16 * 1024 + 256 + 5);

    private const int MinSendBuffer = 4 * 1024;
    private const int MaxSendBuffer = 64 * 1024;

    /// <summary>How long a failing handshake may take to get its alert out before the caller resets the connection.</summary>
    private static readonly TimeSpan AlertFlushTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly TlsProtocol _protocol;
    private readonly IBcProtocol _halfClose;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private volatile bool _peerFin;

    public BcTlsChannel(Socket socket, TlsProtocol protocol)
    {
        _socket = socket;
        _protocol = protocol;
        _halfClose = (IBcProtocol)protocol;
    }

    /// <summary>
    /// Sends what the protocol queued (a client's ClientHello) and feeds it the peer's bytes until the peer
    /// callbacks mark the handshake complete. BouncyCastle's exceptions come out as they are, for the engine
    /// to map to a cause; the alert a local failure queued is sent first.
    /// </summary>
    public async ValueTask HandshakeAsync(BcHandshakeState state, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            while (!state.Completed)
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    throw new EndOfStreamException("the peer closed the connection during the handshake");
                }
                try
                {
                    lock (_sync)
                    {
                        _protocol.OfferInput(buffer, 0, received);
                    }
                }
                catch (Exception)
                {
                    await FlushQuietlyAsync().ConfigureAwait(false);
                    throw;
                }
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (!HasDataOrEnded())
        {
            await ReceiveRecordsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = ReadAvailable(destination);
            if (read > 0)
            {
                return read;
            }
            if (Ended())
            {
                return 0;
            }
            await ReceiveRecordsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                lock (_sync)
                {
                    _protocol.WriteApplicationData(source.Span);
                }
            }
            catch (IOException e)
            {
                throw new TlsRecordException("TLS session failed while encrypting", e);
            }
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public async ValueTask CloseSendAsync(CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                lock (_sync)
                {
                    _halfClose.SendCloseNotify();
                }
            }
            catch (IOException e)
            {
                throw new TlsRecordException("TLS session failed while closing", e);
            }
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public void Dispose() => _sendGate.Dispose();

    private bool HasDataOrEnded()
    {
        lock (_sync)
        {
            return _protocol.GetAvailableInputBytes() > 0 || EndedLocked();
        }
    }

    private bool Ended()
    {
        lock (_sync)
        {
            return EndedLocked();
        }
    }

    /// <summary>
    /// The peer's direction is over: its close_notify, or a FIN without one. A bare FIN is taken as the end
    /// too (many UEs close TCP without close_notify); the MSRP end-line, not TLS, tells a whole message.
    /// </summary>
    private bool EndedLocked() => _halfClose.InputClosed || _protocol.IsClosed || _peerFin;

    private int ReadAvailable(Memory<byte> destination)
    {
        lock (_sync)
        {
            var available = _protocol.GetAvailableInputBytes();
            if (available == 0)
            {
                return 0;
            }
            var count = Math.Min(available, destination.Length);
            if (MemoryMarshal.TryGetArray<byte>(destination, out var segment))
            {
                return _protocol.ReadInput(segment.Array!, segment.Offset, count);
            }
            var copy = ArrayPool<byte>.Shared.Rent(count);
            var read = _protocol.ReadInput(copy, 0, count);
            copy.AsSpan(0, read).CopyTo(destination.Span);
            ArrayPool<byte>.Shared.Return(copy);
            return read;
        }
    }

    /// <summary>Waits for ciphertext (holding no buffer), offers it to the protocol, and sends whatever that queued.</summary>
    private async ValueTask ReceiveRecordsAsync(CancellationToken cancellationToken)
    {
        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        bool pendingOutput;
        try
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                _peerFin = true;
                return;
            }
            try
            {
                lock (_sync)
                {
                    _protocol.OfferInput(buffer, 0, received);
                    pendingOutput = _protocol.GetAvailableOutputBytes() > 0;
                }
            }
            catch (IOException e)
            {
                await FlushQuietlyAsync().ConfigureAwait(false);
                throw new TlsRecordException("TLS session failed: " + e.Message, e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (pendingOutput)
        {
            // A TLS 1.3 KeyUpdate answer or a warning alert the protocol queued while reading.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Best effort for a failing session: get the queued alert out, briefly, ignoring errors.</summary>
    private async ValueTask FlushQuietlyAsync()
    {
        using var timeout = new CancellationTokenSource(AlertFlushTimeout);
        try
        {
            await FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The peer is gone or not reading; the caller resets the connection anyway.
        }
    }

    /// <summary>Sends everything the protocol has queued; the caller holds <see cref="_sendGate"/>.</summary>
    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                int count;
                lock (_sync)
                {
                    var available = _protocol.GetAvailableOutputBytes();
                    if (available == 0)
                    {
                        return;
                    }
                    buffer ??= ArrayPool<byte>.Shared.Rent(Math.Clamp(available, MinSendBuffer, MaxSendBuffer));
                    count = _protocol.ReadOutput(buffer, 0, buffer.Length);
                }
                await _socket.SendAsync(buffer.AsMemory(0, count), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
