using System.Net.Sockets;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>A termination's life beyond Add and Subtract: Local first and Remote later, audits, Move, ServiceChange.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task LocalFirstThenRemoteByModifyAnswersTheOfferAndConnects()
    {
        await using var wire = Start();
        // The MGC reserves a leg before it has the peer's SDP: the MG listens (passive) on a rented port.
        var add = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("$")), Events(1, "tcpx/est")))));
        var id = add.Commands[0].TerminationIds[0];
        Assert.Equal(SetupRole.Passive, LocalOf(add.Commands[0]).Setup);
        Assert.Equal(1, wire.Engine.Ports.InUse);

        // The peer's answer says passive: the MG turns active (RFC 4145 §4.1), gives the port back and connects.
        using var peer = new System.Net.Sockets.TcpListener(Ue1, 0);
        peer.Start();
        var modify = Single(await wire.Send(Action(add.ContextId,
            Modify(id, Media(remote: Remote((System.Net.IPEndPoint)peer.LocalEndpoint, "passive"))))));
        Assert.Empty(Assert.IsType<AmmsReply>(modify.Commands[0]).Audit?.AsSpan().ToArray() ?? []);
        using var accepted = await peer.AcceptSocketAsync(new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout).Token);
        await wire.NextEvent(id, "tcpx/est");
        Assert.Equal(0, wire.Engine.Ports.InUse);

        var audit = Single(await wire.Send(Action(add.ContextId, AuditValue(id, AuditTokens.Media | AuditTokens.Statistics | AuditTokens.Packages))));
        var returned = Assert.IsType<AuditReply>(audit.Commands[0]).Audit!.Value.AsSpan().ToArray();
        var media = Assert.Single(returned.OfType<MediaDescriptor>());
        Assert.True(MsrpMedia.TryRead(SessionDescription.FromDescriptor(media.Stream!.Local!), out var local, out _, out _));
        Assert.Equal(SetupRole.Active, local!.Setup);
        Assert.Equal(9, local.Port);
        Assert.Equal(StreamMode.SendReceive, media.Stream.LocalControl!.Mode);
        Assert.Contains(returned.OfType<PackagesDescriptor>().Single().Packages.AsSpan().ToArray(), p => p.Name == "tcpx");
        Assert.Single(returned.OfType<StatisticsDescriptor>());
    }

    [Fact]
    public async Task AFailedBearerIsTriedAgainOnlyWhenItsPlanChanges()
    {
        await using var wire = Start(configure: o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(500));
        var add = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1)), Events(1, "tcpx/fail")))));
        var id = add.Commands[0].TerminationIds[0];
        // No one connects: the handshake times out and the port goes back.
        Assert.Equal("timeout", (await wire.NextEvent(id, "tcpx/fail")).Parameters[0].Values[0]);
        Assert.Equal(0, wire.Engine.Ports.InUse);

        Single(await wire.Send(Action(add.ContextId, Modify(id, Media(mode: StreamMode.ReceiveOnly)))));
        Assert.Equal(0, wire.Engine.Ports.InUse);

        // A new Remote is a new plan: the MG listens again, on a new port it reports.
        var modify = Single(await wire.Send(Action(add.ContextId, Modify(id, Media(Local("passive"), ActivePeer(Ue2))))));
        Assert.Equal(1, wire.Engine.Ports.InUse);
        Assert.NotEqual(0, EndPointOf(modify.Commands[0]).Port);
    }

    [Fact]
    public async Task RootAndTerminationAuditsComeFromTheProfile()
    {
        await using var wire = Start();
        var add = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var id = add.Commands[0].TerminationIds[0];

        var root = Single(await wire.Send(Action(ContextId.Null,
            new CommandRequest(new AuditRequest(AuditKind.Value, [TerminationId.Root], new AuditDescriptor(AuditTokens.Packages))),
            new CommandRequest(new AuditRequest(AuditKind.Capabilities, [TerminationId.Root], new AuditDescriptor(AuditTokens.Media))))));
        var packages = Assert.Single(Assert.IsType<AuditReply>(root.Commands[0]).Audit!.Value.AsSpan().ToArray().OfType<PackagesDescriptor>());
        Assert.Contains(packages.Packages.AsSpan().ToArray(), p => p.Name == "root");
        Assert.DoesNotContain(packages.Packages.AsSpan().ToArray(), p => p.Name == "tcpx");

        var capabilities = Single(await wire.Send(Action(add.ContextId,
            new CommandRequest(new AuditRequest(AuditKind.Capabilities, [id], new AuditDescriptor(AuditTokens.Events))))));
        var events = Assert.Single(Assert.IsType<AuditReply>(capabilities.Commands[0]).Audit!.Value.AsSpan().ToArray().OfType<EventsDescriptor>());
        var names = events.Events.AsSpan().ToArray().Select(e => e.Name.ToString()).ToArray();
        Assert.Contains("tcpx/est", names);
        Assert.DoesNotContain("adid/ipstop", names);

        // AuditValue of every termination of every context.
        var all = await wire.Send(Action(ContextId.All, AuditValue(TerminationId.All, AuditTokens.None)));
        Assert.Equal(id, Assert.Single(all.Actions.AsSpan().ToArray()).Commands[0].TerminationIds[0]);
    }

    [Fact]
    public async Task MoveTakesAnUnrelayedTerminationToAnotherContextAndTheEmptyOneGoes()
    {
        await using var wire = Start();
        var first = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var second = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var moving = first.Commands[0].TerminationIds[0];

        var move = Single(await wire.Send(Action(second.ContextId, new CommandRequest(new AmmRequest(AmmKind.Move, [moving], [])))));
        Assert.Equal(second.ContextId, move.ContextId);
        Assert.Equal(2, wire.Engine.Ports.InUse);
        Assert.Equal(1, wire.Engine.ContextCount);
        Assert.Equal(411, ErrorCode(await wire.Send(Action(first.ContextId, AuditValue(moving, AuditTokens.None)))));

        // Both legs now in one context: connected, they relay.
        using var clientA = await ConnectFrom(Ue1, EndPointOf(first.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(second.Commands[0]));
        await clientA.SendAsync("moved"u8.ToArray(), SocketFlags.None);
        Assert.Equal("moved"u8.ToArray(), await Within(ReceiveExactly(clientB, 5)));
    }

    [Fact]
    public async Task ServiceChangeTakesATerminationOutOfServiceAndRestartBringsItBack()
    {
        await using var wire = Start();
        var add = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var id = add.Commands[0].TerminationIds[0];
        Assert.Equal(1, wire.Engine.Ports.InUse);

        var forced = Single(await wire.Send(Action(add.ContextId,
            new CommandRequest(new ServiceChangeRequest([id], new ServiceChangeParm(ServiceChangeMethod.Forced, "905 Termination taken out of service"))))));
        Assert.IsType<ServiceChangeReply>(forced.Commands[0]);
        Assert.Equal(0, wire.Engine.Ports.InUse);
        Assert.True(await IsRefused(Ue1, EndPointOf(add.Commands[0])));

        Single(await wire.Send(Action(add.ContextId,
            new CommandRequest(new ServiceChangeRequest([id], new ServiceChangeParm(ServiceChangeMethod.Restart, "900 Service Restored"))))));
        Assert.Equal(1, wire.Engine.Ports.InUse);

        // ServiceChange on ROOT is the association's business.
        Assert.Equal(501, ErrorCode(await wire.Send(Action(ContextId.Null,
            new CommandRequest(new ServiceChangeRequest([TerminationId.Root], new ServiceChangeParm(ServiceChangeMethod.Restart, "901 Cold Boot")))))));
    }
}
