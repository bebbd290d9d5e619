using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Megaco.Mg;
using Megaco.Mg.DataPath;
using Megaco.Protocol.Sdp;

namespace Megaco.Benchmarks;

/// <summary>
/// The two processes of relay-compare.sh, so Megaco.Mg's relay and haproxy carry the same traffic and the
/// relay's CPU can be read from its own /proc entry:
/// <c>relay-serve FRONT BACKEND</c> relays each connection on 127.0.0.1:FRONT to 127.0.0.1:BACKEND, one after
/// another, until killed; <c>relay-load FRONT BACKEND MB</c> listens on BACKEND as the sink, connects to FRONT,
/// sends MB megabytes, and prints bytes, seconds and MB/s once the sink has read them all.
/// </summary>
internal static class RelayTool
{
    private const int ChunkBytes = 256 * 1024;

    public static bool Handles(string verb) => verb is "relay-serve" or "relay-load" or "relay-serve-many" or "relay-hold";

    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args[1..].Where(a => !a.StartsWith("--", StringComparison.Ordinal))
            .Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        return args[0] switch
        {
            "relay-serve" => await ServeAsync(numbers[0], numbers[1]),
            "relay-load" => await LoadAsync(numbers[0], numbers[1], numbers[2] * 1_000_000L),
            "relay-serve-many" => await ServeManyAsync(numbers[0], numbers[1], numbers[2]),
            _ => await HoldAsync(numbers[0], numbers[1], numbers[2], args.Contains("--one-port")),
        };
    }

    private static async Task<int> ServeAsync(int front, int backend)
    {
        var pool = new BearerPortPool(IPAddress.Loopback, front, front);
        var limits = new MgLimits { HandshakeTimeout = TimeSpan.FromDays(1), IdleTimeout = TimeSpan.Zero };
        while (true)
        {
            var rent = pool.Rent();
            if (!rent.IsRented)
            {
                await Console.Error.WriteLineAsync($"port {front} is taken");
                return 1;
            }
            // The UE's leg: the MG listens and latches; the core's leg: the MG connects (RFC 4145 active).
            var ue = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Passive, Latching = true, Limits = limits }, rent.Lease);
            if (await ue.EstablishAsync() != BearerOutcome.Established)
            {
                await ue.DisposeAsync();
                continue;
            }
            var core = TcpBearer.Create(new TcpBearerOptions
            {
                Role = SetupRole.Active,
                Remote = new IPEndPoint(IPAddress.Loopback, backend),
                Limits = limits,
            });
            if (await core.EstablishAsync() != BearerOutcome.Established)
            {
                await ue.DisposeAsync();
                await core.DisposeAsync();
                continue;
            }
            await using var relay = Relay.Start(ue, core, new RelayOptions { Limits = limits });
            await relay.Completion;
        }
    }

    /// <summary>
    /// <c>relay-serve-many FIRST N BACKEND</c>: N UE terminations listening on FIRST..FIRST+N-1 at once, each
    /// relayed to BACKEND once its UE connects; prints "ready" when all listen, then holds them until killed.
    /// The relays keep the MG's default idle timeout, so its timers are in the memory figure. Prints the
    /// managed heap after a full collection at start ("start-heap="), when ready ("ready-heap=") and on
    /// each SIGHUP ("held-heap=").
    /// </summary>
    private static async Task<int> ServeManyAsync(int first, int count, int backend)
    {
        PrintHeap("start-heap");
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            PrintHeap("held-heap");
        });
        var pool = new BearerPortPool(IPAddress.Loopback, first, first + count - 1);
        var limits = new MgLimits { HandshakeTimeout = TimeSpan.FromDays(1) };
        var sessions = new List<Task<Relay?>>(count);
        for (var i = 0; i < count; i++)
        {
            var rent = pool.Rent();
            if (!rent.IsRented)
            {
                await Console.Error.WriteLineAsync($"only {i} of {count} ports could be rented");
                return 1;
            }
            sessions.Add(SessionAsync(rent.Lease, backend, limits));
        }
        PrintHeap("ready-heap");
        Console.WriteLine("ready");
        await Task.WhenAll(sessions);
        Console.WriteLine("established");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    private static void PrintHeap(string label)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}={heap}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}-committed={GC.GetGCMemoryInfo().TotalCommittedBytes}"));
    }

    private static async Task<Relay?> SessionAsync(BearerPortLease lease, int backend, MgLimits limits)
    {
        var ue = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Passive, Latching = true, Limits = limits }, lease);
        var core = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Active, Remote = new IPEndPoint(IPAddress.Loopback, backend), Limits = limits });
        if (await ue.EstablishAsync() != BearerOutcome.Established || await core.EstablishAsync() != BearerOutcome.Established)
        {
            await ue.DisposeAsync();
            await core.DisposeAsync();
            return null;
        }
        return Relay.Start(ue, core, new RelayOptions { Limits = limits });
    }

    /// <summary>
    /// <c>relay-hold FIRST N BACKEND [--one-port]</c>: the sink listens on BACKEND; N clients connect to
    /// FIRST+i (or all to FIRST), each sends 100 bytes through and the sink reads them; prints "held" and
    /// keeps every connection open and idle until killed.
    /// </summary>
    private static async Task<int> HoldAsync(int first, int count, int backend, bool onePort)
    {
        using var sinkListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sinkListener.Bind(new IPEndPoint(IPAddress.Loopback, backend));
        sinkListener.Listen(4096);
        var clients = new Socket[count];
        var sinks = new Socket[count];
        var accepting = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                sinks[i] = await sinkListener.AcceptAsync();
            }
        });
        var payload = new byte[100];
        using var gate = new SemaphoreSlim(64);
        var connecting = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                clients[i] = await ConnectWithRetriesAsync(new IPEndPoint(IPAddress.Loopback, onePort ? first : first + i));
                await clients[i].SendAsync(payload, SocketFlags.None);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(connecting);
        await accepting;
        var buffer = new byte[100];
        foreach (var sink in sinks)
        {
            for (var read = 0; read < buffer.Length;)
            {
                read += await sink.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            }
        }
        Console.WriteLine("held");
        await Task.Delay(Timeout.Infinite);
        GC.KeepAlive(clients);
        return 0;
    }

    private static async Task<int> LoadAsync(int front, int backend, long count)
    {
        using var sinkListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sinkListener.Bind(new IPEndPoint(IPAddress.Loopback, backend));
        sinkListener.Listen();
        using var source = await ConnectWithRetriesAsync(new IPEndPoint(IPAddress.Loopback, front));
        using var sink = await sinkListener.AcceptAsync();

        var chunk = new byte[ChunkBytes];
        Random.Shared.NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        var draining = DrainAsync(sink);
        for (long sent = 0; sent < count;)
        {
            var n = (int)Math.Min(ChunkBytes, count - sent);
            await source.SendAsync(chunk.AsMemory(0, n), SocketFlags.None);
            sent += n;
        }
        source.Shutdown(SocketShutdown.Send);
        var received = await draining;
        var seconds = clock.Elapsed.TotalSeconds;
        if (received != count)
        {
            await Console.Error.WriteLineAsync($"sent {count} bytes, the sink read {received}");
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes={received} seconds={seconds:F3} MBps={received / seconds / 1e6:F0}"));
        return 0;
    }

    private static async Task<long> DrainAsync(Socket socket)
    {
        var buffer = new byte[ChunkBytes];
        long received = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            received += n;
        }
        return received;
    }

    private static async Task<Socket> ConnectWithRetriesAsync(IPEndPoint target)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target);
                return socket;
            }
            catch (SocketException) when (attempt < 100)
            {
                // The relay re-listens between sessions; give it a moment.
                socket.Dispose();
                await Task.Delay(100);
            }
        }
    }
}
