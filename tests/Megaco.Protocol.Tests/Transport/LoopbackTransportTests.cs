using System.Net;
using System.Net.Sockets;
using System.Text;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Transactions;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transport;

/// <summary>Two transaction managers over real sockets on loopback, IPv4 and IPv6; every socket is closed at the end.</summary>
public sealed class LoopbackTransportTests
{
    private const int RequestsEachWay = 50;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly byte[] Request = Encoding.ASCII.GetBytes("MEGACO/1 [127.0.0.1]:9 Transaction = 77 { Context = 1 { Subtract = rtp/77 } }");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ManagersExchangeOverUdp(string address)
    {
        await using var b = UdpTransport.Bind(new MegacoTransportOptions { Listen = Endpoint("udp", address) });
        await using var a = UdpTransport.Bind(new MegacoTransportOptions { Listen = Endpoint("udp", address), Peers = PeerFilter.Only([b.LocalEndpoint]) });

        await ExchangeAsync(a, b);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ManagersExchangeOverTcp(string address)
    {
        await using var b = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", address) });
        await using var a = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", address), Peers = PeerFilter.Only([b.LocalEndpoint]) });

        await ExchangeAsync(a, b);
    }

    [Fact]
    public async Task UdpDropsMessagesFromUnknownPeers()
    {
        await using var a = UdpTransport.Bind(new MegacoTransportOptions
        {
            Listen = Endpoint("udp", "127.0.0.1"),
            Peers = PeerFilter.Only([MegacoEndpoint.Parse("udp://127.0.0.1:9")]),
        });
        var user = new RecordingUser();
        await using var manager = Manager(a, user);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await stranger.SendToAsync(Request, a.LocalEndpoint.EndPoint);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var buffer = new byte[2048];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stranger.ReceiveAsync(buffer, SocketFlags.None, wait.Token));
        Assert.Equal(0, user.Calls);
    }

    [Fact]
    public async Task ClosingAUdpTransportEndsAPendingReceive()
    {
        var a = UdpTransport.Bind(new MegacoTransportOptions { Listen = Endpoint("udp", "127.0.0.1") });
        var receive = a.ReceiveAsync(CancellationToken.None).AsTask();

        await a.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(Bound));
    }

    [Fact]
    public async Task UdpRefusesToSendMoreThanTheMaximumPdu()
    {
        await using var a = UdpTransport.Bind(new MegacoTransportOptions { Listen = Endpoint("udp", "127.0.0.1"), MaxPduSize = 100 });

        await Assert.ThrowsAsync<MegacoTransportException>(async () => await a.SendAsync(a.LocalEndpoint, new byte[101], CancellationToken.None));
    }

    [Fact]
    public async Task TcpRefusesConnectionsFromUnknownPeers()
    {
        await using var a = TcpTransport.Listen(new MegacoTransportOptions
        {
            Listen = Endpoint("tcp", "127.0.0.1"),
            Peers = PeerFilter.Only([MegacoEndpoint.Parse("tcp://127.0.0.2:2944")]),
        });
        var user = new RecordingUser();
        await using var manager = Manager(a, user);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stranger.ConnectAsync(a.LocalEndpoint.EndPoint);

        try
        {
            await stranger.SendAsync(TpktFramer.Frame(Request));
            var read = await stranger.ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Bound);
            Assert.Equal(0, read);
        }
        catch (SocketException)
        {
            // Reset by the refusing side: refused all the same.
        }
        Assert.Equal(0, user.Calls);
    }

    [Fact]
    public async Task TcpAnswersAPacketSentOneByteAtATimeAndDropsOnlyAConnectionWithABadHeader()
    {
        await using var a = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", "127.0.0.1") });
        var user = new RecordingUser();
        await using var manager = Manager(a, user);
        using var bad = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var good = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await bad.ConnectAsync(a.LocalEndpoint.EndPoint);
        await good.ConnectAsync(a.LocalEndpoint.EndPoint);

        // No TPKT header: Annex D.2 framing is broken, the connection cannot be resynchronised.
        await bad.SendAsync(Request);
        Assert.Equal(0, await ReceiveOrResetAsync(bad));

        foreach (var b in TpktFramer.Frame(Request))
        {
            await good.SendAsync(new[] { b });
        }
        var reply = await ReadPacketAsync(good);
        var message = MegacoTextReader.Default.Read(reply).Message!;
        Assert.Equal("rtp/77", RecordingUser.RepliedTermination(Assert.IsType<TransactionReply>(message.Transactions[0])));
        Assert.Equal(1, user.Calls);
    }

    [Fact]
    public async Task TcpAnswersGarbageWith400AndKeepsTheConnection()
    {
        await using var a = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", "127.0.0.1") });
        await using var manager = Manager(a, new RecordingUser());
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(a.LocalEndpoint.EndPoint);

        await peer.SendAsync(TpktFramer.Frame("MEGACO/1 [127.0.0.1]:9 Nonsense"u8));
        var error = MegacoTextReader.Default.Read(await ReadPacketAsync(peer)).Message!;
        await peer.SendAsync(TpktFramer.Frame(Request));
        var reply = MegacoTextReader.Default.Read(await ReadPacketAsync(peer)).Message!;

        Assert.Equal((ushort)400, error.Error!.Code);
        Assert.IsType<TransactionReply>(reply.Transactions[0]);
    }

    [Fact]
    public async Task LostTcpConnectionFailsItsOutstandingRequestsAndTellsTheUser()
    {
        await using var a = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", "127.0.0.1") });
        var b = TcpTransport.Listen(new MegacoTransportOptions { Listen = Endpoint("tcp", "127.0.0.1") });
        var userA = new RecordingUser();
        var userB = new RecordingUser { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var managerA = Manager(a, userA);
        var managerB = Manager(b, userB);

        var result = managerA.SendRequestAsync(b.LocalEndpoint, RecordingUser.Subtract(1));
        await Eventually.True(() => userB.Calls == 1, "the request to arrive");
        // The peer goes away with the request still executing.
        await managerB.DisposeAsync();
        await b.DisposeAsync();

        var outcome = await result.WaitAsync(Bound);
        Assert.Equal(TransactionFailure.ConnectionLost, outcome.Failure);
        await Eventually.True(() => userA.Events.Any(e => e.Kind == MegacoEventKind.ConnectionLost && e.Peer.Equals(b.LocalEndpoint)), "the event");
    }

    private static async Task ExchangeAsync(IMegacoTransport a, IMegacoTransport b)
    {
        var userA = new RecordingUser();
        var userB = new RecordingUser();
        await using var managerA = Manager(a, userA);
        await using var managerB = Manager(b, userB);

        var aToB = Enumerable.Range(0, RequestsEachWay).Select(i => managerA.SendRequestAsync(b.LocalEndpoint, RecordingUser.Subtract(i))).ToArray();
        var bToA = Enumerable.Range(0, RequestsEachWay).Select(i => managerB.SendRequestAsync(a.LocalEndpoint, RecordingUser.Subtract(500 + i))).ToArray();
        var results = await Task.WhenAll(aToB.Concat(bToA)).WaitAsync(Bound);

        for (var i = 0; i < RequestsEachWay; i++)
        {
            Assert.Equal($"rtp/{i}", RecordingUser.RepliedTermination(results[i].Reply));
            Assert.Equal($"rtp/{500 + i}", RecordingUser.RepliedTermination(results[RequestsEachWay + i].Reply));
        }
        Assert.Equal(RequestsEachWay, userA.Calls);
        Assert.Equal(RequestsEachWay, userB.Calls);
    }

    private static TransactionManager Manager(IMegacoTransport transport, IMegacoUser user)
    {
        var local = transport.LocalEndpoint.EndPoint;
        var mid = local.AddressFamily == AddressFamily.InterNetworkV6
            ? MId.IPv6(local.Address.ToString(), (ushort)local.Port)
            : MId.IPv4(local.Address.ToString(), (ushort)local.Port);
        var manager = new TransactionManager(transport, user, new TransactionOptions
        {
            MId = mid,
            RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(200), 2, TimeSpan.Zero, TimeSpan.FromSeconds(1), 5),
            Workers = 2,
        });
        manager.Start();
        return manager;
    }

    private static MegacoEndpoint Endpoint(string scheme, string address) =>
        MegacoEndpoint.Parse(address.Contains(':') ? $"{scheme}://[{address}]:0" : $"{scheme}://{address}:0");

    private static async Task<int> ReceiveOrResetAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Bound);
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private static async Task<byte[]> ReadPacketAsync(Socket socket)
    {
        var header = new byte[TpktFramer.HeaderLength];
        await ReadExactlyAsync(socket, header);
        Assert.Equal(TpktFramer.Version, header[0]);
        var payload = new byte[((header[2] << 8) | header[3]) - TpktFramer.HeaderLength];
        await ReadExactlyAsync(socket, payload);
        return payload;
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, n);
            read += n;
        }
    }
}
