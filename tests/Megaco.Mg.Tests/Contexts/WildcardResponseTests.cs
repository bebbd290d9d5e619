using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary><c>W-</c> (H.248.1 Annex B, wildcarded response): one reply for all the terminations a wildcard matched.</summary>
public sealed class WildcardResponseTests
{
    [Fact]
    public async Task WildcardedAuditAndSubtractGetOneReplyNamingTheWildcard()
    {
        await using var wire = Start();
        var add = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1))),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var wildcard = new TerminationId("msrp/*");

        // Without W-: a reply per termination.
        var each = Single(await wire.Send(Action(add.ContextId, AuditValue(wildcard, AuditTokens.Packages))));
        Assert.Equal(2, each.Commands.Count);

        // With W-: one reply, the wildcard as its id, the (equal) Packages descriptor once.
        var audit = Single(await wire.Send(Action(add.ContextId,
            new CommandRequest(new AuditRequest(AuditKind.Value, [wildcard], new AuditDescriptor(AuditTokens.Packages)), WildcardReturn: true))));
        var reply = Assert.IsType<AuditReply>(Assert.Single(audit.Commands.AsSpan().ToArray()));
        Assert.Equal(wildcard, Assert.Single(reply.TerminationIds.AsSpan().ToArray()));
        Assert.Single(reply.Audit!.Value.AsSpan().ToArray().OfType<PackagesDescriptor>());

        var subtract = Single(await wire.Send(Action(add.ContextId,
            new CommandRequest(new SubtractRequest([wildcard], new AuditDescriptor(AuditTokens.None)), WildcardReturn: true))));
        var subtracted = Assert.IsType<AmmsReply>(Assert.Single(subtract.Commands.AsSpan().ToArray()));
        Assert.Equal(AmmsKind.Subtract, subtracted.Kind);
        Assert.Equal(wildcard, Assert.Single(subtracted.TerminationIds.AsSpan().ToArray()));
        Assert.Null(subtracted.Audit);
        Assert.Equal(0, wire.Engine.TerminationCount);
        Assert.Equal(0, wire.Engine.ContextCount);
    }
}
