using System.Net.Sockets;
using Megaco.Mg.Tests.DataPath;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>Counts this process's sockets, so it runs in the resource collection, alone.</summary>
[Collection(nameof(ResourceTests))]
public sealed class EndToEndTests
{
    private const long Volume = 100L * 1024 * 1024;

    [Fact]
    public async Task HundredMegabytesEachWayThroughAContextArriveIntactAndSubtractCountsThem()
    {
        await using var wire = Start();
        var before = OpenSockets();

        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(1, "tcpx/est", "tcpx/lost")),
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(2, "tcpx/est", "tcpx/lost")))));
        var a = reply.Commands[0].TerminationIds[0];
        var b = reply.Commands[1].TerminationIds[0];
        Assert.Equal("msrp/", a.Text[..5]);
        Assert.NotEqual(a, b);

        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        var established = await wire.NextEvent(a, "tcpx/est");
        Assert.Equal(clientA.LocalEndPoint!.ToString(), established.Parameters[0].Values[0]);

        var sendA = SendRandom(clientA, Volume, seed: 1);
        var sendB = SendRandom(clientB, Volume, seed: 2);
        var receiveA = ReceiveAll(clientA);
        var receiveB = ReceiveAll(clientB);
        var (countAtB, hashAtB) = await Within(receiveB);
        var (countAtA, hashAtA) = await Within(receiveA);
        Assert.Equal(Volume, countAtB);
        Assert.Equal(Volume, countAtA);
        Assert.Equal(await sendA, hashAtB);
        Assert.Equal(await sendB, hashAtA);

        // Both peers sent FIN and everything was delivered: the relay ends closed and says so.
        Assert.Equal("closed", (await wire.NextEvent(a, "tcpx/lost")).Parameters[0].Values[0]);

        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        foreach (var command in subtract.Commands)
        {
            Assert.Equal(Volume, Statistic(command, "nt/os"));
            Assert.Equal(Volume, Statistic(command, "nt/or"));
            Assert.True(Statistic(command, "nt/dur") > 0);
        }
        clientA.Dispose();
        clientB.Dispose();
        Assert.Equal(0, wire.Engine.Ports.InUse);
        Assert.Equal(0, wire.Engine.ContextCount);
        Assert.Equal(0, wire.Engine.TerminationCount);
        Assert.Equal(before, OpenSockets());
    }

    [Fact]
    public async Task AThousandContextsSetUpRelayedAndTornDownLeaveNoSocketAndNoPort()
    {
        await using var wire = Start(ports: 32);
        var before = OpenSockets();

        for (var i = 0; i < 1000; i++)
        {
            var reply = Single(await wire.Send(Action(ContextId.Choose,
                Add(Media(Local("passive"), ActivePeer(Ue1))),
                Add(Media(Local("passive"), ActivePeer(Ue1))))));
            if (i % 10 == 0)
            {
                // Every tenth context carries a connection each way, the others only listen.
                using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
                using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
                await clientA.SendAsync(new[] { (byte)i }, SocketFlags.None);
                Assert.Equal((byte)i, (await Within(ReceiveExactly(clientB, 1)))[0]);
            }
            var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
            Assert.Equal(2, subtract.Commands.Count);
        }

        Assert.Equal(0, wire.Engine.Ports.InUse);
        Assert.Equal(0, wire.Engine.ContextCount);
        Assert.Equal(before, OpenSockets());
    }

    [Fact]
    public async Task ExhaustionIsAnsweredWithTheResourceErrorAndLeavesNothing()
    {
        await using var wire = Start(ports: 3, maxContexts: 2, maxTerminations: 2);
        var first = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1))),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var second = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var sockets = OpenSockets();
        Assert.Equal(3, wire.Engine.Ports.InUse);

        // H.248.8 434: a third termination in a two-termination context.
        Assert.Equal(434, ErrorCode(await wire.Send(Action(first.ContextId, Add(Media(Local("passive"), ActivePeer(Ue1)))))));
        // 510: no bearer port left for a listening leg.
        Assert.Equal(510, ErrorCode(await wire.Send(Action(second.ContextId, Add(Media(Local("passive"), ActivePeer(Ue1)))))));
        // 412: a third context.
        Assert.Equal(412, ErrorCode(await wire.Send(Action(ContextId.Choose, Add(Media(Local("active"), Remote(new(Ue1, 9999), "passive")))))));
        // A port freed is usable again, and the failed commands held nothing.
        Assert.Equal(3, wire.Engine.Ports.InUse);
        Assert.Equal(2, wire.Engine.ContextCount);
        Assert.Equal(3, wire.Engine.TerminationCount);
        Assert.Equal(sockets, OpenSockets());

        Single(await wire.Send(Action(second.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(2, wire.Engine.Ports.InUse);
        var third = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        Assert.False(third.ContextId.IsChoose);
        Assert.Equal(3, wire.Engine.Ports.InUse);
    }
}
