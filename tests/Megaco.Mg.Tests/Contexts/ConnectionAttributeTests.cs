using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>RFC 4145 §5 <c>a=connection</c> on a Modify of an established leg: existing keeps it, new replaces it.</summary>
public sealed class ConnectionAttributeTests
{
    [Fact]
    public async Task ExistingKeepsTheConnection()
    {
        await using var wire = Start();
        var (context, _, b, clientA, clientB) = await ConnectedPair(wire);
        using var _a = clientA;
        using var _b = clientB;

        var modify = Single(await wire.Send(Action(context, Modify(b, Media(remote: Peer(Ue1, "existing"))))));
        Assert.Null(Assert.IsType<AmmsReply>(modify.Commands[0]).Audit);
        await clientA.SendAsync("same"u8.ToArray(), SocketFlags.None);
        Assert.Equal("same"u8.ToArray(), await Within(ReceiveExactly(clientB, 4)));
        await clientB.SendAsync("back"u8.ToArray(), SocketFlags.None);
        Assert.Equal("back"u8.ToArray(), await Within(ReceiveExactly(clientA, 4)));
        Assert.Equal(2, wire.Engine.Ports.InUse);
    }

    [Fact]
    public async Task NewClosesTheConnectionAndListensAgainWhileThePartnerStays()
    {
        await using var wire = Start();
        var (context, _, b, clientA, clientB) = await ConnectedPair(wire);
        using var _a = clientA;
        using var _b = clientB;
        await clientB.SendAsync("old"u8.ToArray(), SocketFlags.None);
        Assert.Equal("old"u8.ToArray(), await Within(ReceiveExactly(clientA, 3)));

        var modify = Single(await wire.Send(Action(context, Modify(b, Media(remote: Peer(Ue1, "new"))))));
        // The old connection is closed cleanly; the MG listens on a new port it returns in Local.
        Assert.Equal(0, await Within(clientB.ReceiveAsync(new byte[1], SocketFlags.None)));
        var port = EndPointOf(modify.Commands[0]);
        Assert.Equal(SetupRole.Passive, LocalOf(modify.Commands[0]).Setup);

        using var renewed = await ConnectFrom(Ue1, port);
        await wire.NextEvent(b, "tcpx/est");
        await clientA.SendAsync("new"u8.ToArray(), SocketFlags.None);
        Assert.Equal("new"u8.ToArray(), await Within(ReceiveExactly(renewed, 3)));
        await renewed.SendAsync("ok"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ok"u8.ToArray(), await Within(ReceiveExactly(clientA, 2)));

        // The statistics of B count both connections.
        var subtract = Single(await wire.Send(Action(context, Subtract(b))));
        Assert.Equal(5, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(3, Statistic(subtract.Commands[0], "nt/os"));
    }

    private static LocalRemoteDescriptor Peer(IPAddress address, string connection) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 " + address + "\nm=message 9 " + MsrpMedia.TcpProtocol + " *\na=setup:active\na=connection:" + connection + "\n");
}
