using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>Topology (H.248.1 §7.1.18) and stream mode (§7.1.7) hold a direction without losing, duplicating or reordering a byte.</summary>
public sealed class TopologyAndModeTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task IsolatePausesFlowAndBothwayResumesItWithoutLoss()
    {
        await using var wire = Start();
        var (context, a, b, clientA, clientB) = await Connected(wire);
        using var _ = clientA;
        using var __ = clientB;
        var sent = RandomNumberGenerator.GetBytes(3 * Chunk);

        await clientA.SendAsync(sent.AsMemory(0, Chunk), SocketFlags.None);
        var first = await Within(ReceiveExactly(clientB, Chunk));

        var isolate = Single(await wire.Send(new ActionRequest(context, [], new ContextRequest(Topology: [new TopologyTriple(a, b, TopologyDirection.Isolate)]))));
        Assert.Null(isolate.Error);
        // While isolated, A's bytes are held (the relay stops reading; TCP holds the rest at A).
        var sending = clientA.SendAsync(sent.AsMemory(Chunk, 2 * Chunk), SocketFlags.None).AsTask();
        Assert.False(await Arrives(clientB, TimeSpan.FromMilliseconds(500)));
        // The topology reads back from a context audit.
        var audit = Single(await wire.Send(new ActionRequest(context, [], ContextAudit: new ContextAttrAuditRequest(Topology: true))));
        Assert.Equal(TopologyDirection.Isolate, Assert.Single(audit.ContextReply!.Topology.AsSpan().ToArray()).Direction);

        Single(await wire.Send(new ActionRequest(context, [], new ContextRequest(Topology: [new TopologyTriple(a, b, TopologyDirection.Bothway)]))));
        await Within(sending);
        var rest = await Within(ReceiveExactly(clientB, 2 * Chunk));
        Assert.Equal(sent, first.Concat(rest).ToArray());
    }

    [Fact]
    public async Task OnewayAndModesGateEachDirection()
    {
        await using var wire = Start();
        var (context, a, b, clientA, clientB) = await Connected(wire);
        using var _ = clientA;
        using var __ = clientB;

        // Oneway a→b: b's bytes wait, a's flow.
        Single(await wire.Send(new ActionRequest(context, [], new ContextRequest(Topology: [new TopologyTriple(a, b, TopologyDirection.Oneway)]))));
        await clientB.SendAsync("b1"u8.ToArray(), SocketFlags.None);
        await clientA.SendAsync("a1"u8.ToArray(), SocketFlags.None);
        Assert.Equal("a1"u8.ToArray(), await Within(ReceiveExactly(clientB, 2)));
        Assert.False(await Arrives(clientA, TimeSpan.FromMilliseconds(300)));

        // Bothway again, but b is ReceiveOnly (H.248.1 §7.1.7: it passes what it receives into the context, sends nothing out).
        Single(await wire.Send(new ActionRequest(context, [Modify(b, Media(mode: StreamMode.ReceiveOnly))],
            new ContextRequest(Topology: [new TopologyTriple(a, b, TopologyDirection.Bothway)]))));
        Assert.Equal("b1"u8.ToArray(), await Within(ReceiveExactly(clientA, 2)));
        await clientA.SendAsync("a2"u8.ToArray(), SocketFlags.None);
        Assert.False(await Arrives(clientB, TimeSpan.FromMilliseconds(300)));

        Single(await wire.Send(Action(context, Modify(b, Media(mode: StreamMode.SendReceive)))));
        Assert.Equal("a2"u8.ToArray(), await Within(ReceiveExactly(clientB, 2)));
    }

    [Fact]
    public async Task AHeldDirectionIsNotReportedInactive()
    {
        // adid/ipstop is provisional under a public id: a private (lab) profile lets it be sent.
        await using var wire = Start(privateProfile: true);
        var ipstop = new RequestedEvent(Name("adid/ipstop"), Parameters: [new PropertyParm(new PkgdName("", "dt"), ["200"])]);
        var reply = Single(await wire.Send(new ActionRequest(ContextId.Choose,
            [Add(Media(Local("passive"), ActivePeer(Ue1)), new EventsDescriptor(3, [ipstop])), Add(Media(Local("passive"), ActivePeer(Ue1)))],
            new ContextRequest(Topology: [new TopologyTriple(TerminationId.All, TerminationId.All, TopologyDirection.Isolate)]))));
        var a = reply.Commands[0].TerminationIds[0];
        var b = reply.Commands[1].TerminationIds[0];
        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));

        // Isolated for several detection times: A is held, not silent.
        await Task.Delay(1000);
        Single(await wire.Send(new ActionRequest(reply.ContextId, [], new ContextRequest(Topology: [new TopologyTriple(a, b, TopologyDirection.Bothway)]))));
        Assert.False(wire.Notifications.TryRead(out _));

        // Flowing again and silent: now it is inactivity.
        var (_, termination, events) = await wire.NextNotify();
        Assert.Equal(a, termination);
        Assert.Equal("adid/ipstop", events.Events[0].Name.ToString());
    }

    private static async Task<(ContextId, TerminationId, TerminationId, Socket, Socket)> Connected(Wire wire)
    {
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1))),
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(1, "tcpx/est")))));
        var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await wire.NextEvent(reply.Commands[1].TerminationIds[0], "tcpx/est");
        return (reply.ContextId, reply.Commands[0].TerminationIds[0], reply.Commands[1].TerminationIds[0], clientA, clientB);
    }

    /// <summary>Whether a byte arrives within <paramref name="wait"/> (peeked, so nothing is consumed).</summary>
    private static async Task<bool> Arrives(Socket socket, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.Peek, cts.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
