using System.Net;
using System.Net.Sockets;

namespace Megaco.Mg.DataPath;

/// <summary>
/// One rented bearer port, held as a bound and listening socket so no other process can take it between
/// the Local descriptor going to the MGC and the peer connecting. Disposing closes the socket and returns
/// the port to its pool; disposing twice is harmless.
/// </summary>
public sealed class BearerPortLease : IDisposable
{
    private readonly BearerPortPool _pool;
    private int _disposed;

    private Socket? _listener;

    internal BearerPortLease(BearerPortPool pool, Socket listener)
    {
        _pool = pool;
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The address and port that go into the termination's Local descriptor.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The listening socket until <see cref="CloseListener"/>.</summary>
    internal Socket Listener => Volatile.Read(ref _listener) ?? throw new ObjectDisposedException(nameof(BearerPortLease), "the bearer port no longer listens");

    /// <summary>
    /// Closes the listening socket and lets it go, while the port stays rented (it is still the termination's):
    /// an established bearer keeps nothing of its listener.
    /// </summary>
    internal void CloseListener() => Interlocked.Exchange(ref _listener, null)?.Dispose();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        CloseListener();
        _pool.Release(EndPoint.Port);
    }
}
