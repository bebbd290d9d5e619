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

    internal BearerPortLease(BearerPortPool pool, Socket listener)
    {
        _pool = pool;
        Listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The address and port that go into the termination's Local descriptor.</summary>
    public IPEndPoint EndPoint { get; }

    internal Socket Listener { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Listener.Dispose();
        _pool.Release(EndPoint.Port);
    }
}
