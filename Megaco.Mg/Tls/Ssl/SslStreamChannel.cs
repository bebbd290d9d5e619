using System.Net.Security;
using System.Net.Sockets;

namespace Megaco.Mg.Tls;

/// <summary>An established <see cref="SslStream"/> as the relay's TLS side; SslStream allows one reader and one writer at once.</summary>
internal sealed class SslStreamChannel(SslStream ssl, Socket socket) : ITlsChannel
{
    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A zero-byte read waits for a record without holding a buffer (and returns at once at the end).
            _ = await ssl.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await ssl.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        try
        {
            await ssl.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>A socket failure stays one (the relay reports the loss); anything else is the session failing.</summary>
    private static Exception Translate(IOException e) =>
        e.InnerException as SocketException as Exception ?? new TlsRecordException("TLS session failed: " + e.Message, e);

    public void Dispose() => ssl.Dispose();

    public async ValueTask CloseSendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ssl.ShutdownAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
        socket.Shutdown(SocketShutdown.Send);
    }
}
