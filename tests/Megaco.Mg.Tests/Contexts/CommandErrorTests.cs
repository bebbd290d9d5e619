using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>Commands the MG refuses, each with its exact H.248.8 code, and what a refusal leaves behind: nothing.</summary>
public sealed class CommandErrorTests
{
    private static readonly TerminationId Unknown = new("msrp/999999");

    [Fact]
    public async Task RefusalsCarryTheirExactCodes()
    {
        await using var wire = Start();
        var first = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var second = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var inFirst = first.Commands[0].TerminationIds[0];
        var inUse = wire.Engine.Ports.InUse;

        async Task<ushort> Code(ActionRequest action) => ErrorCode(await wire.Send(action));

        Assert.Equal(411, await Code(Action(new ContextId(424242), Modify(inFirst))));
        Assert.Equal(430, await Code(Action(first.ContextId, Modify(Unknown))));
        Assert.Equal(435, await Code(Action(second.ContextId, Modify(inFirst))));
        Assert.Equal(430, await Code(Action(ContextId.Choose, new CommandRequest(new AmmRequest(AmmKind.Add, [new TerminationId("msrp/77")], [])))));
        Assert.Equal(433, await Code(Action(second.ContextId, new CommandRequest(new AmmRequest(AmmKind.Add, [inFirst], [])))));
        Assert.Equal(443, await Code(Action(first.ContextId, new CommandRequest(new NotifyRequest([inFirst],
            new ObservedEventsDescriptor(1, [new ObservedEvent(Name("tcpx/est"))]))))));
        // The profile decides first: an unknown package 440, an event a package lacks 451, a bad latch value 449.
        Assert.Equal(440, await Code(Action(first.ContextId, Modify(inFirst, Events(1, "nosuch/evt")))));
        Assert.Equal(451, await Code(Action(first.ContextId, Modify(inFirst, Events(1, "tcpx/nosuch")))));
        Assert.Equal(449, await Code(Action(first.ContextId, Modify(inFirst, new MediaDescriptor(Stream: new StreamParms(
            new LocalControlDescriptor(Properties: [PropertyParm.Of("ipnapt", "latch", "on")])))))));
        // Then the MG: a detectable event only, no loopback, MSRP media only, a=path only $.
        Assert.Equal(512, await Code(Action(first.ContextId, Modify(inFirst, Events(1, "nt/netfail")))));
        Assert.Equal(517, await Code(Action(first.ContextId, Modify(inFirst, Media(mode: StreamMode.Loopback)))));
        Assert.Equal(515, await Code(Action(ContextId.Choose, Add(Media(LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n"))))));
        Assert.Equal(474, await Code(Action(ContextId.Choose, Add(Media(Local("sideways"))))));
        // TLS termination: the Local fingerprint is one '<hash> $' of RFC 8122 on TCP/TLS/MSRP, every Remote one parses,
        // a PSK needs TLS and no fingerprint, and MSRP-aware over TLS needs the MG to terminate it.
        Assert.Equal(449, await Code(Action(ContextId.Choose, Add(Media(Local("passive", "TCP/TLS/MSRP", "a=fingerprint:md5 $\n"), ActivePeer(Ue1, "TCP/TLS/MSRP"))))));
        Assert.Equal(473, await Code(Action(ContextId.Choose, Add(Media(Local("passive", extra: "a=fingerprint:sha-256 $\n"), ActivePeer(Ue1))))));
        var badRemote = ErrorOf(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive", "TCP/TLS/MSRP", "a=fingerprint:sha-256 $\n"),
            LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=setup:active\na=fingerprint:sha-256 AB:CD\n"))))));
        Assert.Equal(449, badRemote.Code);
        Assert.Contains("fingerprint", badRemote.Text, StringComparison.Ordinal);
        Assert.Equal(473, await Code(Action(ContextId.Choose, Add(Media(Local("passive", "TCP/TLS/MSRP", "a=path:$\n"), ActivePeer(Ue1, "TCP/TLS/MSRP"))))));
        Assert.Equal(473, await Code(Action(ContextId.Choose, Add(new MediaDescriptor(Stream: new StreamParms(
            new LocalControlDescriptor(Properties: [PropertyParm.Of("tlsx", "pskid", "ue"), PropertyParm.Of("tlsx", "psk", "0011")]),
            Local("passive"), ActivePeer(Ue1)))))));
        Assert.Equal(472, await Code(Action(ContextId.Choose, Add(new MediaDescriptor(Stream: new StreamParms(
            new LocalControlDescriptor(Properties: [PropertyParm.Of("tlsx", "pskid", "ue")]),
            Local("passive", "TCP/TLS/MSRP"), ActivePeer(Ue1, "TCP/TLS/MSRP")))))));
        Assert.Equal(449, await Code(Action(ContextId.Choose, Add(Media(Local("passive", extra: "a=path:msrp://127.0.0.1:9/x;tcp\n"), ActivePeer(Ue1))))));
        Assert.Equal(421, await Code(Action(ContextId.Null, Add(Media(Local("passive"), ActivePeer(Ue1))))));

        Assert.Equal(inUse, wire.Engine.Ports.InUse);
        Assert.Equal(2, wire.Engine.ContextCount);
        Assert.Equal(2, wire.Engine.TerminationCount);
    }

    [Fact]
    public async Task AFailedCommandEndsTheTransactionButAnOptionalOneDoesNot()
    {
        await using var wire = Start();
        var reply = await wire.Send(
            Action(ContextId.Choose,
                Add(Media(Local("passive"), ActivePeer(Ue1))),
                new CommandRequest(new AmmRequest(AmmKind.Modify, [Unknown], []), Optional: true),
                Add(Media(Local("passive"), ActivePeer(Ue1)))),
            Action(ContextId.Choose, Modify(Unknown)),
            Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1)))));

        // First action: the optional Modify failed in its own reply and the next Add ran.
        var first = reply.Actions[0];
        Assert.Null(first.Error);
        Assert.Equal(3, first.Commands.Count);
        var optional = Assert.IsType<AmmsReply>(first.Commands[1]);
        Assert.Equal(430, Assert.IsType<ErrorDescriptor>(optional.Audit!.Value[0]).Code);
        // Second action failed: the third was not executed.
        Assert.Equal(2, reply.Actions.Count);
        Assert.Equal(430, reply.Actions[1].Error!.Code);
        Assert.Equal(1, wire.Engine.ContextCount);
        Assert.Equal(2, wire.Engine.TerminationCount);
    }

    private static ErrorDescriptor ErrorOf(TransactionReply reply) => reply.Actions[^1].Error!;
}
