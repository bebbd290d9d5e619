using System.Net;
using System.Net.Sockets;
using Megaco.Mg.Diagnostics;

namespace Megaco.Mg.DataPath;

/// <summary>
/// The configured range of TCP ports for bearers the MG listens on. Rent binds and listens, so a port
/// held by another process is skipped rather than handed out; running out is a result, not an exception.
/// </summary>
public sealed class BearerPortPool
{
    /// <summary>Pending connections per bearer port: a termination expects one peer, a few more are refused.</summary>
    private const int Backlog = 8;

    private readonly bool[] _inUse;
    private readonly Lock _lock = new();
    private readonly MgMetrics? _metrics;
    private int _next;
    private int _count;

    public BearerPortPool(IPAddress address, int firstPort, int lastPort, MgMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstPort, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lastPort, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastPort, firstPort);
        Address = address;
        FirstPort = firstPort;
        LastPort = lastPort;
        _inUse = new bool[lastPort - firstPort + 1];
        _metrics = metrics;
    }

    public IPAddress Address { get; }

    public int FirstPort { get; }

    public int LastPort { get; }

    public int Capacity => _inUse.Length;

    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Rents the next free port in round-robin order (a port just released is the last to be reused, so a
    /// late packet of an old bearer is unlikely to reach a new one).
    /// </summary>
    public PortRentResult Rent()
    {
        lock (_lock)
        {
            for (var tried = 0; tried < _inUse.Length; tried++)
            {
                var index = _next;
                _next = (_next + 1) % _inUse.Length;
                if (_inUse[index])
                {
                    continue;
                }
                var listener = TryListen(FirstPort + index);
                if (listener is null)
                {
                    continue;
                }
                _inUse[index] = true;
                _count++;
                _metrics?.PortRented();
                return new PortRentResult(PortRentStatus.Rented, new BearerPortLease(this, listener));
            }
        }
        return new PortRentResult(PortRentStatus.Exhausted, null);
    }

    internal void Release(int port)
    {
        lock (_lock)
        {
            var index = port - FirstPort;
            if (_inUse[index])
            {
                _inUse[index] = false;
                _count--;
                _metrics?.PortReleased();
            }
        }
    }

    private Socket? TryListen(int port)
    {
        var socket = new Socket(Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(Address, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException)
        {
            // Taken outside the MG (another process, or a connection's ephemeral port): skip it.
            socket.Dispose();
            return null;
        }
    }
}
