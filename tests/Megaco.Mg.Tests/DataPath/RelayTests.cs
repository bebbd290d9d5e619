using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Mg.DataPath.Stages;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

/// <summary>The transparent relay over loopback: byte-exact both ways, half-close, backpressure within the window, loss, inactivity, idle.</summary>
public sealed class RelayTests
{
    /// <summary>20 MB each way keeps the suite fast; H248_RELAY_TEST_MB=100 runs the 100 MB.</summary>
    private static long TransferBytes =>
        (long.TryParse(Environment.GetEnvironmentVariable("H248_RELAY_TEST_MB"), out var mb) ? mb : 20) * 1_000_000;

    /// <summary>Adds <paramref name="count"/> forwarding stages to each direction: 0 is the one-loop copy, more the piped path.</summary>
    private static Action<RelaySide, DataPathBuilder> ForwardingStages(int count) => (_, path) =>
    {
        for (var i = 0; i < count; i++)
        {
            path.Add(new ForwardingStage());
        }
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task RelaysRandomBytesExactlyBothWays(int forwardingStages)
    {
        var pool = Pool();
        var options = new RelayOptions
        {
            ConfigurePath = ForwardingStages(forwardingStages),
        };
        await using var peers = await OpenRelay(pool, options);
        var count = TransferBytes;

        var sendA = SendRandom(peers.A, count, seed: 1);
        var sendB = SendRandom(peers.B, count, seed: 2);
        var atB = ReceiveAll(peers.B);
        var atA = ReceiveAll(peers.A);

        var (countAtB, hashAtB) = await Within(atB);
        var (countAtA, hashAtA) = await Within(atA);
        Assert.Equal(count, countAtB);
        Assert.Equal(count, countAtA);
        Assert.Equal(await sendA, hashAtB);
        Assert.Equal(await sendB, hashAtA);

        var end = await Within(peers.Relay.Completion);
        Assert.Equal(RelayEndReason.Closed, end.Reason);
        Assert.Equal(count, peers.Relay.BytesReceived(RelaySide.A));
        Assert.Equal(count, peers.Relay.BytesSent(RelaySide.B));
        Assert.Equal(count, peers.Relay.BytesReceived(RelaySide.B));
        Assert.Equal(count, peers.Relay.BytesSent(RelaySide.A));
    }

    [Fact]
    public async Task HalfCloseOneWayKeepsTheOtherWayFlowing()
    {
        await using var peers = await OpenRelay(Pool());
        var hello = "MSRP a786hjs2 SEND\r\n"u8.ToArray();

        await peers.A.SendAsync(hello, SocketFlags.None);
        peers.A.Shutdown(SocketShutdown.Send);
        var (count, _) = await Within(ReceiveAll(peers.B));
        Assert.Equal(hello.Length, count);
        Assert.False(peers.Relay.Completion.IsCompleted);

        // B's direction still flows after A's FIN reached B.
        var reply = new byte[100_000];
        Random.Shared.NextBytes(reply);
        await peers.B.SendAsync(reply, SocketFlags.None);
        Assert.Equal(reply, await Within(ReceiveExactly(peers.A, reply.Length)));
        peers.B.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await Within(peers.A.ReceiveAsync(new byte[1], SocketFlags.None)));

        Assert.Equal(RelayEndReason.Closed, (await Within(peers.Relay.Completion)).Reason);
    }

    [Fact]
    public async Task AStalledReaderBlocksTheWriterAndTheRelayHoldsNoMoreThanTheWindow()
    {
        var limits = new MgLimits();
        await using var peers = await OpenRelay(Pool(), new RelayOptions { Limits = limits });
        long written = 0;
        var count = 256L * 1024 * 1024;
        var send = SendRandom(peers.A, count, seed: 3, progress: n => Volatile.Write(ref written, n));

        // B reads nothing: once the kernel buffers on both legs are full, A's writes stop completing.
        long last = -1;
        long maxBuffered = 0;
        var stalledFor = 0;
        var deadline = DateTime.UtcNow + Loopback.Timeout;
        while (stalledFor < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never blocked");
            await Task.Delay(100);
            maxBuffered = Math.Max(maxBuffered, peers.Relay.BufferedBytes(RelaySide.A));
            var now = Volatile.Read(ref written);
            stalledFor = now == last ? stalledFor + 1 : 0;
            last = now;
        }
        Assert.False(send.IsCompleted);
        Assert.True(last < count);
        Assert.InRange(peers.Relay.BufferedBytes(RelaySide.A), 1, limits.MaxBufferedBytesPerStream);
        Assert.InRange(maxBuffered, 0, limits.MaxBufferedBytesPerStream);

        // Reading again drains everything, unchanged.
        var (received, hash) = await Within(ReceiveAll(peers.B));
        Assert.Equal(count, received);
        Assert.Equal(await send, hash);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    public async Task APeerResetIsReportedAsLossAndResetsTheOtherPeer(bool afterData, int forwardingStages)
    {
        var losses = new List<(RelaySide, SocketError)>();
        await using var peers = await OpenRelay(Pool(), new RelayOptions
        {
            ConfigurePath = ForwardingStages(forwardingStages),
            OnLoss = (side, error) =>
            {
                lock (losses)
                {
                    losses.Add((side, error));
                }
            },
        });
        if (afterData)
        {
            await peers.A.SendAsync("abc"u8.ToArray(), SocketFlags.None);
            await Within(ReceiveExactly(peers.B, 3));
        }

        peers.A.LingerState = new LingerOption(true, 0);
        peers.A.Close();

        var end = await Within(peers.Relay.Completion);
        Assert.Equal(new RelayEnd(RelayEndReason.PeerLost, RelaySide.A, SocketError.ConnectionReset), end);
        Assert.Equal([(RelaySide.A, SocketError.ConnectionReset)], losses);
        Assert.True(await IsReset(peers.B));
    }

    /// <summary>A peer reset before the relay starts: the first direction fails at once and resets both sockets before the second starts.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task APeerResetBeforeTheRelayStartsIsReportedAsLoss(int forwardingStages)
    {
        var pool = Pool();
        var a = Passive(pool);
        var b = Passive(pool);
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var acceptA = a.EstablishAsync(cts.Token);
        var acceptB = b.EstablishAsync(cts.Token);
        using var clientA = await ConnectFrom(Ue1, a.ListenEndPoint!);
        using var clientB = await ConnectFrom(Ue1, b.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await acceptA);
        Assert.Equal(BearerOutcome.Established, await acceptB);
        clientA.LingerState = new LingerOption(true, 0);
        clientA.Close();
        // Loopback delivers the reset at once; a moment more so it is there before the relay reads.
        await Task.Delay(100);

        await using var relay = Relay.Start(a, b, new RelayOptions
        {
            ConfigurePath = ForwardingStages(forwardingStages),
        });

        var end = await Within(relay.Completion);
        Assert.Equal(new RelayEnd(RelayEndReason.PeerLost, RelaySide.A, SocketError.ConnectionReset), end);
        Assert.True(await IsReset(clientB));
    }

    [Fact]
    public async Task SilenceRaisesInactivityPerSideOncePerSilentPeriod()
    {
        var events = new List<RelaySide>();
        var limits = new MgLimits { InactivityTimeout = TimeSpan.FromMilliseconds(200), IdleTimeout = TimeSpan.Zero };
        await using var peers = await OpenRelay(Pool(), new RelayOptions
        {
            Limits = limits,
            OnInactivity = side =>
            {
                lock (events)
                {
                    events.Add(side);
                }
            },
        });

        await Task.Delay(700);
        lock (events)
        {
            Assert.Equal([RelaySide.A, RelaySide.B], events.Order());
        }

        await peers.A.SendAsync("x"u8.ToArray(), SocketFlags.None);
        await Within(ReceiveExactly(peers.B, 1));
        await Task.Delay(700);
        lock (events)
        {
            Assert.Equal([RelaySide.A, RelaySide.A, RelaySide.B], events.Order());
        }
        Assert.False(peers.Relay.Completion.IsCompleted);
    }

    [Fact]
    public async Task IdleTimeoutEndsTheRelayAndResetsBothPeers()
    {
        var limits = new MgLimits { IdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using var peers = await OpenRelay(Pool(), new RelayOptions { Limits = limits });

        var end = await Within(peers.Relay.Completion);

        Assert.Equal(RelayEndReason.IdleTimeout, end.Reason);
        Assert.True(await IsReset(peers.A));
        Assert.True(await IsReset(peers.B));
    }
}
