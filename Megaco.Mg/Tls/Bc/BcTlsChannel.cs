using System.Buffers;
using System.Buffers.Binary;
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
    /// <summary>RFC 8446 §5.1: a record is a 5-octet header and at most 2^14 + 256 octets of fragment (§5.2).</summary>
    private const int RecordHeader = 5;

    private const int MaxRecord = RecordHeader + 16 * 1024 + 256;

    /// <summary>Ciphertext taken from the socket at once: several full records per system call during bulk transfer.</summary>
    private const int ReceiveBufferSize = 64 * 1024;

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

    // Ciphertext received and not yet offered: [_start, _end) of _received, rented only while it holds bytes
    // (a partial record between receives, or records not yet decrypted). Receiver side only.
    private byte[]? _received;
    private int _start;
    private int _end;

    /// <summary>The last receive filled the space it was given: the socket likely has more, so no idle wait first.</summary>
    private bool _moreLikely;

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
        while (!state.Completed)
        {
            bool offered;
            try
            {
                offered = TryOfferRecord();
            }
            catch (Exception)
            {
                await FlushQuietlyAsync().ConfigureAwait(false);
                throw;
            }
            if (offered)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            await ReceiveCiphertextAsync(cancellationToken).ConfigureAwait(false);
            if (_peerFin)
            {
                throw new EndOfStreamException("the peer closed the connection during the handshake");
            }
        }
    }

    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (!HasDataOrEnded())
        {
            if (!await TryDecryptRecordAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReceiveCiphertextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> from the records received, decrypting one record at a time as it is
    /// read out (so BouncyCastle never queues more than one record of clear bytes), and receives from the socket
    /// only when nothing at all is ready.
    /// </summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }
        var total = 0;
        while (true)
        {
            total += ReadAvailable(destination[total..]);
            if (total == destination.Length)
            {
                return total;
            }
            if (await TryDecryptRecordAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            if (total > 0)
            {
                if (_received is not null && _moreLikely && _socket.Available > 0)
                {
                    // The rest of the partial record is most likely waiting: take it now rather than hand out a short read.
                    await ReceiveCiphertextAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                return total;
            }
            if (Ended())
            {
                return 0;
            }
            await ReceiveCiphertextAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Offers the next whole record held to the protocol (application data lands in its queue; alerts, key
    /// updates and tickets are handled) and sends whatever that queued; false if no whole record is held.
    /// </summary>
    private async ValueTask<bool> TryDecryptRecordAsync(CancellationToken cancellationToken)
    {
        bool pendingOutput;
        try
        {
            if (!TryOfferRecord())
            {
                return false;
            }
            lock (_sync)
            {
                pendingOutput = _protocol.GetAvailableOutputBytes() > 0;
            }
        }
        catch (IOException e)
        {
            await FlushQuietlyAsync().ConfigureAwait(false);
            throw new TlsRecordException("TLS session failed: " + e.Message, e);
        }
        if (pendingOutput)
        {
            // A TLS 1.3 KeyUpdate answer or a warning alert the protocol queued while reading.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// Offers exactly one whole record, which BouncyCastle decrypts in place in our buffer without queueing the
    /// ciphertext first; a header announcing more than a record may hold is offered as it is, for BouncyCastle
    /// to refuse with record_overflow (RFC 8446 §5.1). BouncyCastle's exceptions come out as they are.
    /// </summary>
    private bool TryOfferRecord()
    {
        var buffered = _end - _start;
        if (buffered < RecordHeader)
        {
            return false;
        }
        var length = RecordHeader + BinaryPrimitives.ReadUInt16BigEndian(_received.AsSpan(_start + 3, 2));
        if (length > MaxRecord)
        {
            length = buffered;
        }
        else if (buffered < length)
        {
            return false;
        }
        var offset = _start;
        _start += length;
        try
        {
            lock (_sync)
            {
                _protocol.OfferInput(_received!, offset, length);
            }
        }
        finally
        {
            if (_start == _end)
            {
                ReleaseReceived();
            }
        }
        return true;
    }

    /// <summary>
    /// Receives ciphertext after what is held. With nothing held it first waits without a buffer (unless the
    /// last receive suggested more is there), so an idle session holds none; a FIN sets <see cref="_peerFin"/>.
    /// </summary>
    private async ValueTask ReceiveCiphertextAsync(CancellationToken cancellationToken)
    {
        if (_received is null)
        {
            if (!_moreLikely)
            {
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            _received = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            // Only a partial record is left (whole ones are offered first): move it to the front.
            _received.AsSpan(_start, _end - _start).CopyTo(_received);
            _end -= _start;
            _start = 0;
        }
        int received;
        try
        {
            received = await _socket.ReceiveAsync(_received.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            ReleaseReceived();
            throw;
        }
        _moreLikely = received == _received.Length - _end;
        if (received == 0)
        {
            // A partial record before the FIN is a truncated stream: dropped, as the FIN ends the peer's direction.
            ReleaseReceived();
            _peerFin = true;
            return;
        }
        _end += received;
    }

    private void ReleaseReceived()
    {
        if (_received is not null)
        {
            ArrayPool<byte>.Shared.Return(_received);
            _received = null;
        }
        _start = _end = 0;
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
