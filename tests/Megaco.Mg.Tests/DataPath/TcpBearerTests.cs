using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

/// <summary>Setup roles (RFC 4145 §4), bounded retries and timeouts, and NAT latching on a bearer's port.</summary>
public sealed class TcpBearerTests
{
    [Theory]
    [InlineData(SetupRole.Passive)]
    [InlineData(SetupRole.ActPass)]
    public async Task ListeningRolesAcceptThePeer(SetupRole role)
    {
        var pool = Pool();
        var rent = pool.Rent();
        Assert.True(rent.IsRented);
        await using var bearer = TcpBearer.Create(new TcpBearerOptions { Role = role, Remote = new IPEndPoint(Ue1, 9) }, rent.Lease);

        var establish = bearer.EstablishAsync();
        using var client = await ConnectFrom(Ue1, bearer.ListenEndPoint!);

        Assert.Equal(BearerOutcome.Established, await Within(establish.AsTask()));
        Assert.Equal(client.LocalEndPoint, bearer.RemoteEndPoint);
    }

    [Fact]
    public async Task MgConnectsOutInTheActiveRoleAndRelaysToAListeningLeg()
    {
        using var ue = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        ue.Bind(new IPEndPoint(Ue2, 0));
        ue.Listen();
        var pool = Pool();
        var active = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Active, Remote = (IPEndPoint)ue.LocalEndPoint!, LocalAddress = Ue1 });
        var passive = Passive(pool);

        var accepting = ue.AcceptAsync();
        Assert.Equal(BearerOutcome.Established, await Within(active.EstablishAsync().AsTask()));
        using var ueSide = await Within(accepting);
        var establishing = passive.EstablishAsync();
        using var core = await ConnectFrom(Ue1, passive.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await Within(establishing.AsTask()));

        await using var relay = Relay.Start(active, passive);
        await ueSide.SendAsync("from the UE"u8.ToArray(), SocketFlags.None);
        Assert.Equal("from the UE"u8.ToArray(), await Within(ReceiveExactly(core, 11)));
        await core.SendAsync("from the core"u8.ToArray(), SocketFlags.None);
        Assert.Equal("from the core"u8.ToArray(), await Within(ReceiveExactly(ueSide, 13)));
    }

    [Fact]
    public async Task ConnectingOutGivesUpAfterTheConfiguredAttempts()
    {
        // A bound socket that never listens: every SYN is answered with a reset.
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(Ue1, 0));
        var limits = new MgLimits { ConnectAttempts = 3, ConnectRetryDelay = TimeSpan.FromMilliseconds(100) };
        await using var bearer = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Active, Remote = (IPEndPoint)deaf.LocalEndPoint!, Limits = limits });

        var clock = Stopwatch.StartNew();
        var outcome = await Within(bearer.EstablishAsync().AsTask());

        Assert.Equal(BearerOutcome.Failed, outcome);
        Assert.Equal(SocketError.ConnectionRefused, bearer.LastError);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(10));
        Assert.False(bearer.IsEstablished);
    }

    [Fact]
    public async Task HoldConnOpensNothing()
    {
        await using var bearer = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.HoldConn });
        Assert.Equal(BearerOutcome.Held, await bearer.EstablishAsync());
        Assert.False(bearer.IsEstablished);
    }

    [Fact]
    public async Task ASilentPeerCannotHoldTheListeningBearerPastTheHandshakeTimeout()
    {
        var pool = Pool();
        await using var bearer = Passive(pool, new MgLimits { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        var clock = Stopwatch.StartNew();
        Assert.Equal(BearerOutcome.TimedOut, await Within(bearer.EstablishAsync().AsTask()));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellingEstablishmentThrowsAndDisposingReturnsThePort()
    {
        var pool = Pool(size: 1);
        var bearer = Passive(pool);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(bearer.EstablishAsync(cts.Token).AsTask()));
        Assert.Equal(1, pool.InUse);

        await bearer.DisposeAsync();
        Assert.Equal(0, pool.InUse);
        Assert.True(pool.Rent().IsRented);
    }

    [Fact]
    public async Task LatchingAcceptsTheNattedSourceAndRefusesALaterOne()
    {
        var refused = new List<IPEndPoint>();
        var pool = Pool();
        // The SDP says 127.0.0.1; the UE's packets come from 127.0.0.2 (its NAT's address).
        await using var bearer = Passive(pool, latching: true, remote: Ue1, onRefused: refused.Add, keepRefusing: true);

        var establishing = bearer.EstablishAsync();
        using var ue = await ConnectFrom(Ue2, bearer.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await Within(establishing.AsTask()));
        Assert.Equal(Ue2, bearer.RemoteEndPoint!.Address);
        Assert.Equal(ue.LocalEndPoint, bearer.Policy!.LatchedEndPoint);

        Assert.True(await IsRefused(Ue3, bearer.ListenEndPoint!));
        Assert.Equal(1, bearer.RefusedConnections);
        Assert.Equal(Ue3, Assert.Single(refused).Address);
    }

    [Fact]
    public async Task ByDefaultTheListenerClosesAtEstablishmentAndTheKernelRefusesLaterConnections()
    {
        var pool = Pool();
        await using var bearer = Passive(pool, latching: true);
        var port = bearer.ListenEndPoint!;
        var establishing = bearer.EstablishAsync();
        using var ue = await ConnectFrom(Ue2, port);
        Assert.Equal(BearerOutcome.Established, await Within(establishing.AsTask()));

        var intruder = await Assert.ThrowsAsync<SocketException>(() => ConnectFrom(Ue3, port));
        Assert.Equal(SocketError.ConnectionRefused, intruder.SocketErrorCode);
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public async Task WithoutLatchingOnlyTheRemoteAddressMayConnect()
    {
        var pool = Pool();
        await using var bearer = Passive(pool, latching: false, remote: Ue1);

        var establishing = bearer.EstablishAsync();
        Assert.True(await IsRefused(Ue2, bearer.ListenEndPoint!));
        await Task.Delay(50);
        Assert.False(establishing.IsCompleted);
        Assert.Equal(1, bearer.RefusedConnections);

        using var expected = await ConnectFrom(Ue1, bearer.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await Within(establishing.AsTask()));
        Assert.Equal(Ue1, bearer.RemoteEndPoint!.Address);
    }

    [Theory]
    [InlineData(SetupRole.Active, SetupRole.Passive)]
    [InlineData(SetupRole.Passive, SetupRole.Active)]
    [InlineData(SetupRole.ActPass, SetupRole.Active)]
    [InlineData(SetupRole.HoldConn, SetupRole.HoldConn)]
    public void AnswerRolesFollowRfc4145(SetupRole offered, SetupRole answered)
    {
        Assert.Equal(answered, SetupRoles.AnswerTo(offered));
        Assert.False(SetupRoles.Connects(offered) && SetupRoles.Connects(answered));
    }
}
