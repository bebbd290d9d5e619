using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Megaco.Mg;
using Megaco.Mg.DataPath;

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

    public static bool Handles(string verb) => verb is "relay-serve" or "relay-load";

    public static async Task<int> RunAsync(string[] args)
    {
        var front = int.Parse(args[1], CultureInfo.InvariantCulture);
        var backend = int.Parse(args[2], CultureInfo.InvariantCulture);
        return args[0] == "relay-serve"
            ? await ServeAsync(front, backend)
            : await LoadAsync(front, backend, long.Parse(args[3], CultureInfo.InvariantCulture) * 1_000_000);
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
