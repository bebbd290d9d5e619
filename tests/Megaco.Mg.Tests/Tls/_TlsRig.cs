using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

/// <summary>The MG side of the TLS tests: bearers towards openssl UEs and a clear core peer, and the exchanges through a relay.</summary>
internal static class TlsRig
{
    public const string PskHex = "00112233445566778899aabbccddeeff";
    public const string PskIdentity = "ue1@ims.example";

    public static TlsPsk Psk => new(PskIdentity, Convert.FromHexString(PskHex));

    /// <summary>A port nobody listens on right now, for an openssl s_server.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(Loopback.Ue1, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>An active bearer towards an s_server that may still be starting: retried every 100 ms.</summary>
    public static TcpBearer ActiveTo(int port) => TcpBearer.Create(new TcpBearerOptions
    {
        Role = SetupRole.Active,
        Remote = new IPEndPoint(Loopback.Ue1, port),
        Limits = new MgLimits { ConnectAttempts = 100, ConnectRetryDelay = TimeSpan.FromMilliseconds(100) },
    });

    /// <summary>An s_client (<c>-quiet</c> and <paramref name="arguments"/>) connected to the MG's passive <paramref name="access"/> bearer.</summary>
    public static async Task<OpenSsl> StartClient(TcpBearer access, string[] arguments, CancellationToken cancellationToken)
    {
        var accept = access.EstablishAsync(cancellationToken);
        var client = OpenSsl.Start(["s_client", "-connect", $"127.0.0.1:{access.ListenEndPoint!.Port}", "-quiet", .. arguments]);
        if (await accept != BearerOutcome.Established)
        {
            await client.DisposeAsync();
            Assert.Fail("the s_client did not connect: " + client.Stderr);
        }
        return client;
    }

    /// <summary>An s_server (one connection, <c>-quiet</c> and <paramref name="arguments"/>) and the MG's active bearer connected to it.</summary>
    public static async Task<(OpenSsl Server, TcpBearer Access)> StartServer(string[] arguments, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var server = OpenSsl.Start(["s_server", "-accept", $"127.0.0.1:{port}", "-quiet", "-naccept", "1", .. arguments]);
        var access = ActiveTo(port);
        if (await access.EstablishAsync(cancellationToken) != BearerOutcome.Established)
        {
            await access.DisposeAsync();
            await server.DisposeAsync();
            Assert.Fail("no connection to the s_server: " + server.Stderr);
        }
        return (server, access);
    }

    /// <summary>A passive core bearer with the test's clear peer connected to it.</summary>
    public static async Task<(TcpBearer Core, Socket Peer)> Core(BearerPortPool pool, CancellationToken cancellationToken)
    {
        var core = Loopback.Passive(pool);
        var accept = core.EstablishAsync(cancellationToken);
        var peer = await Loopback.ConnectFrom(Loopback.Ue1, core.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await accept);
        return (core, peer);
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Through a relay whose TLS side is an s_client: <paramref name="up"/> from s_client's stdin must reach the
    /// core peer, then <paramref name="down"/> from the core peer must reach s_client's stdout; the core peer's
    /// FIN becomes close_notify, s_client answers and exits, and the relay ends cleanly.
    /// </summary>
    public static async Task ExchangeWithClient(OpenSsl client, Relay relay, Socket corePeer, byte[] up, byte[] down, CancellationToken cancellationToken)
    {
        var feed = Task.Run(async () =>
        {
            await client.Stdin.WriteAsync(up, cancellationToken);
            await client.Stdin.FlushAsync(cancellationToken);
        }, cancellationToken);
        var received = await Loopback.Within(Loopback.ReceiveExactly(corePeer, up.Length));
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(received));
        await feed;
        var reading = client.ReadAllStdout(cancellationToken);
        await corePeer.SendAsync(down, SocketFlags.None, cancellationToken);
        corePeer.Shutdown(SocketShutdown.Send);
        var (count, hash) = await Loopback.Within(reading);
        Assert.Equal(down.Length, count);
        Assert.Equal(SHA256.HashData(down), hash);
        var end = await Loopback.Within(relay.Completion);
        Assert.Equal(RelayEndReason.Closed, end.Reason);
        Assert.Equal(up.Length, relay.BytesReceived(RelaySide.A));
        Assert.Equal(down.Length, relay.BytesSent(RelaySide.A));
    }

    /// <summary>
    /// Through a relay whose TLS side is an s_server: <paramref name="down"/> from the core peer must reach
    /// s_server's stdout, then <paramref name="up"/> from s_server's stdin must reach the core peer.
    /// </summary>
    public static async Task ExchangeWithServer(OpenSsl server, Socket corePeer, byte[] up, byte[] down, CancellationToken cancellationToken)
    {
        var sending = corePeer.SendAsync(down, SocketFlags.None, cancellationToken).AsTask();
        var received = await Loopback.Within(server.ReadStdout(down.Length, cancellationToken));
        await sending;
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(received));
        await server.Stdin.WriteAsync(up, cancellationToken);
        await server.Stdin.FlushAsync(cancellationToken);
        var back = await Loopback.Within(Loopback.ReceiveExactly(corePeer, up.Length));
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(back));
    }
}
