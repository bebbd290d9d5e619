namespace Megaco.Mg.Tls;

/// <summary>
/// An established TLS session as the relay sees it: application data in and out over the bearer's socket.
/// One receiver and one sender may run at once. Failures after the handshake throw <see cref="TlsRecordException"/>
/// or a <see cref="System.Net.Sockets.SocketException"/>. Disposing frees the session's state, not the socket (the bearer's).
/// </summary>
internal interface ITlsChannel : IDisposable
{
    /// <summary>Completes when application data is ready to read or the peer has closed; holds no buffer while waiting.</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellationToken);

    /// <summary>Decrypted bytes into <paramref name="destination"/>; 0 once the peer has closed (close_notify or FIN).</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken);

    ValueTask SendAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken);

    /// <summary>Sends close_notify and then the TCP FIN; the peer's direction keeps flowing (RFC 8446 §6.1).</summary>
    ValueTask CloseSendAsync(CancellationToken cancellationToken);
}
