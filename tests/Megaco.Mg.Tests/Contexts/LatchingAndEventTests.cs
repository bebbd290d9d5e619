using System.Net.Sockets;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>NAT latching (H.248.37 ipnapt/latch) and the events the MGC asked for, as Notify on the wire.</summary>
public sealed class LatchingAndEventTests
{
    [Fact]
    public async Task LatchingAdmitsTheFirstSourceReportsItAndRefusesTheNext()
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1), latch: true), Events(7, "tcpx/est")))));
        var id = reply.Commands[0].TerminationIds[0];
        var port = EndPointOf(reply.Commands[0]);

        // The UE's SDP says 127.0.0.1; behind its NAT it connects from 127.0.0.2.
        using var ue = await ConnectFrom(Ue2, port);
        var established = await wire.NextEvent(id, "tcpx/est");
        Assert.Equal(ue.LocalEndPoint!.ToString(), established.Parameters[0].Values[0]);
        Assert.Equal(7u, (await AuditLatched(wire, reply.ContextId, id)).RequestId);

        Assert.True(await IsRefused(Ue3, port));
    }

    [Fact]
    public async Task TheLatchedAddressIsAnAddressReportingEventUnderAPrivateProfile()
    {
        // adr/rsac is provisional under public id 0x00ac: only a private (lab) profile may send it.
        await using var wire = Start(privateProfile: true);
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1), latch: true), Events(9, "adr/rsac")))));
        using var ue = await ConnectFrom(Ue2, EndPointOf(reply.Commands[0]));
        var changed = await wire.NextEvent(reply.Commands[0].TerminationIds[0], "adr/rsac");
        var local = (System.Net.IPEndPoint)ue.LocalEndPoint!;
        Assert.Equal(["127.0.0.2", local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            changed.Parameters.AsSpan().ToArray().Select(p => p.Values[0]));
    }

    private static async Task<EventsDescriptor> AuditLatched(Wire wire, ContextId context, TerminationId id)
    {
        var audit = Single(await wire.Send(Action(context, AuditValue(id, AuditTokens.Media | AuditTokens.Events))));
        var returned = Assert.IsType<AuditReply>(audit.Commands[0]).Audit!.Value.AsSpan().ToArray();
        var media = Assert.Single(returned.OfType<MediaDescriptor>());
        var address = Assert.Single(media.TerminationState!.Properties.AsSpan().ToArray());
        Assert.Equal("tcpx/ra", address.Name.ToString());
        Assert.StartsWith("127.0.0.2:", address.Values[0], StringComparison.Ordinal);
        // ipnapt/latch is provisional under a public package id: never sent, so not in the audit either.
        Assert.Empty(media.Stream!.LocalControl!.Properties.AsSpan().ToArray());
        return Assert.Single(returned.OfType<EventsDescriptor>());
    }

    [Fact]
    public async Task WithoutLatchingOnlyTheRemoteAddressMayConnect()
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1)), Events(1, "tcpx/est")))));
        var id = reply.Commands[0].TerminationIds[0];
        var port = EndPointOf(reply.Commands[0]);

        Assert.True(await IsRefused(Ue3, port));
        using var ue = await ConnectFrom(Ue1, port);
        Assert.StartsWith("127.0.0.1:", (await wire.NextEvent(id, "tcpx/est")).Parameters[0].Values[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionLossIsNotifiedOnBothLegs()
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(1, "tcpx/lost")),
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(2, "tcpx/*")))));
        var a = reply.Commands[0].TerminationIds[0];
        var b = reply.Commands[1].TerminationIds[0];
        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await wire.NextEvent(b, "tcpx/est");
        await clientA.SendAsync("x"u8.ToArray(), SocketFlags.None);
        await Within(ReceiveExactly(clientB, 1));

        // A reset (linger 0) on A's side.
        clientA.LingerState = new LingerOption(true, 0);
        clientA.Close();

        // The two Notifies go out concurrently: they may arrive in either order.
        var causes = new Dictionary<TerminationId, string>();
        while (causes.Count < 2)
        {
            var (_, id, events) = await wire.NextNotify();
            foreach (var observed in events.Events)
            {
                if (observed.Name.ToString() == "tcpx/lost")
                {
                    causes[id] = observed.Parameters[0].Values[0];
                }
            }
        }
        Assert.Equal("reset", causes[a]);
        Assert.Equal("other", causes[b]);
        Assert.True(await IsReset(clientB));
    }

    [Fact]
    public async Task EstablishmentFailureIsNotified()
    {
        await using var wire = Start(configure: o =>
        {
            o.ConnectAttempts = 1;
            o.HandshakeTimeout = TimeSpan.FromSeconds(2);
        });
        // Nobody listens on the port the Remote names: the MG's connect is refused.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(Ue1, 0));
        var closed = (System.Net.IPEndPoint)probe.LocalEndPoint!;
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("active"), Remote(closed, "passive")), Events(3, "tcpx/fail")))));
        var failed = await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tcpx/fail");
        Assert.Equal("refused", failed.Parameters[0].Values[0]);
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(0, Statistic(subtract.Commands[0], "nt/os"));
        Assert.Equal(0, wire.Engine.ContextCount);
    }

    [Fact]
    public async Task InactivityIsNotifiedWithItsDetectionTimeUnderAPrivateProfile()
    {
        // adid/ipstop is provisional under public id 0x009c: only a private (lab) profile may send it.
        await using var wire = Start(privateProfile: true);
        var ipstop = new RequestedEvent(Name("adid/ipstop"), Parameters: [new PropertyParm(new PkgdName("", "dt"), ["300"])]);
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1)), new EventsDescriptor(5, [ipstop])),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));

        var (context, termination, events) = await wire.NextNotify();
        Assert.Equal(reply.ContextId, context);
        Assert.Equal(reply.Commands[0].TerminationIds[0], termination);
        Assert.Equal(5u, events.RequestId);
        Assert.Equal("adid/ipstop", events.Events[0].Name.ToString());
    }

    [Fact]
    public async Task InactivityIsNotSentUnderThePublicIqProfile()
    {
        await using var wire = Start();
        var ipstop = new RequestedEvent(Name("adid/ipstop"), Parameters: [new PropertyParm(new PkgdName("", "dt"), ["200"])]);
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1)), new EventsDescriptor(5, [ipstop, new RequestedEvent(Name("tcpx/lost"))])),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await Task.Delay(600);
        clientA.Shutdown(SocketShutdown.Send);
        clientB.Shutdown(SocketShutdown.Send);

        // The first Notify is the loss: the inactivity detected before it was logged and not sent.
        var (_, _, events) = await wire.NextNotify();
        Assert.Equal("tcpx/lost", events.Events[0].Name.ToString());
    }
}
