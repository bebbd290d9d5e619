using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.DataPath;
using Megaco.Mg.Diagnostics;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.DataPath;

/// <summary>Loopback peers for the data path tests: a port pool, test clients bound to a chosen source address, pumps that hash.</summary>
internal static class Loopback
{
    public static readonly IPAddress Ue1 = IPAddress.Parse("127.0.0.1");
    public static readonly IPAddress Ue2 = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress Ue3 = IPAddress.Parse("127.0.0.3");

    /// <summary>Every test waits at most this long for anything.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A pool over a random range below the Linux ephemeral range; ports taken by parallel tests are skipped by the pool.</summary>
    public static BearerPortPool Pool(int size = 64)
    {
        var first = Random.Shared.Next(20_000, 32_000 - size);
        return new BearerPortPool(Ue1, first, first + size - 1);
    }

    public static async Task<Socket> ConnectFrom(IPAddress source, IPEndPoint target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(target, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects from <paramref name="source"/> to a port that will refuse it: either the kernel refuses (no
    /// listener) or the MG accepts and resets at once, and on loopback that reset may beat the end of the connect.
    /// </summary>
    public static async Task<bool> IsRefused(IPAddress source, IPEndPoint target)
    {
        Socket socket;
        try
        {
            socket = await ConnectFrom(source, target);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            return true;
        }
        using (socket)
        {
            return await IsReset(socket);
        }
    }

    public static TcpBearer Passive(BearerPortPool pool, MgLimits? limits = null, bool latching = false, IPAddress? remote = null, Action<IPEndPoint>? onRefused = null, MgMetrics? metrics = null, bool keepRefusing = false)
    {
        var rent = pool.Rent();
        Assert.True(rent.IsRented, "port pool exhausted");
        return TcpBearer.Create(new TcpBearerOptions
        {
            Role = SetupRole.Passive,
            Remote = new IPEndPoint(remote ?? Ue1, 9),
            Latching = latching,
            Limits = limits ?? new MgLimits(),
            OnRefused = onRefused,
            Metrics = metrics,
            KeepRefusing = keepRefusing,
        }, rent.Lease);
    }

    /// <summary>Two passive bearers (the MG listens on both), a client connected to each, and the relay between them.</summary>
    public static async Task<Peers> OpenRelay(BearerPortPool pool, RelayOptions? options = null)
    {
        var limits = options?.Limits ?? new MgLimits();
        var a = Passive(pool, limits, metrics: options?.Metrics);
        var b = Passive(pool, limits, metrics: options?.Metrics);
        using var cts = new CancellationTokenSource(Timeout);
        var acceptA = a.EstablishAsync(cts.Token);
        var acceptB = b.EstablishAsync(cts.Token);
        var clientA = await ConnectFrom(Ue1, a.ListenEndPoint!);
        var clientB = await ConnectFrom(Ue1, b.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await acceptA);
        Assert.Equal(BearerOutcome.Established, await acceptB);
        return new Peers(Relay.Start(a, b, options), clientA, clientB);
    }

    /// <summary>Sends <paramref name="count"/> pseudo-random bytes, then FIN; returns their SHA-256.</summary>
    public static async Task<byte[]> SendRandom(Socket socket, long count, int seed, Action<long>? progress = null)
    {
        var random = new Random(seed);
        var chunk = new byte[64 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long sent = 0;
        while (sent < count)
        {
            var n = (int)Math.Min(chunk.Length, count - sent);
            random.NextBytes(chunk.AsSpan(0, n));
            hash.AppendData(chunk, 0, n);
            await socket.SendAsync(chunk.AsMemory(0, n), SocketFlags.None);
            sent += n;
            progress?.Invoke(sent);
        }
        socket.Shutdown(SocketShutdown.Send);
        return hash.GetHashAndReset();
    }

    /// <summary>Reads until FIN; returns the count and SHA-256 of what arrived.</summary>
    public static async Task<(long Count, byte[] Hash)> ReceiveAll(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                return (count, hash.GetHashAndReset());
            }
            hash.AppendData(buffer, 0, n);
            count += n;
        }
    }

    public static async Task<byte[]> ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            Assert.NotEqual(0, n);
            read += n;
        }
        return buffer;
    }

    /// <summary>Whether the peer reset the connection: a read then fails with ECONNRESET (or sees the end at once).</summary>
    public static async Task<bool> IsReset(Socket socket)
    {
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            var n = await socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>Sockets this process holds open, from /proc/self/fd (Linux).</summary>
    public static int OpenSockets()
    {
        // Sockets another test dropped without disposing close on finalization; settle them first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Count(fd => new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal));
    }

    public static async Task<T> Within<T>(Task<T> task)
    {
        var done = await Task.WhenAny(task, Task.Delay(Timeout));
        Assert.True(done == task, "timed out");
        return await task;
    }

    public static async Task Within(Task task)
    {
        var done = await Task.WhenAny(task, Task.Delay(Timeout));
        Assert.True(done == task, "timed out");
        await task;
    }
}

/// <summary>A relay and the test's two clients, one per side; disposing closes all three.</summary>
internal sealed class Peers(Relay relay, Socket a, Socket b) : IAsyncDisposable
{
    public Relay Relay { get; } = relay;

    public Socket A { get; } = a;

    public Socket B { get; } = b;

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        await Relay.DisposeAsync();
    }
}
