using Megaco.Mgc.Events;
using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Megaco.TestSupport;
using static Megaco.Mgc.Tests.Sessions.OriginatingSessionTests;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>Release with statistics, and the MG's events reaching the session's owner.</summary>
public sealed class ReleaseAndEventTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<(RecordingGateway Gateway, MsrpSessionController Controller, MsrpSession Session)> EstablishedAsync(ProfileValidator? validator = null)
    {
        var gateway = new RecordingGateway();
        var controller = new MsrpSessionController(gateway, validator);
        var session = controller.CreateSession(new MsrpPolicy { TerminateTls = true });
        Assert.True((await session.OfferFromAccessAsync(Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:active", "a=fingerprint:" + Sdps.UeFingerprint))).Succeeded);
        Assert.True((await session.AnswerFromCoreAsync(Sdps.Core())).Succeeded);
        return (gateway, controller, session);
    }

    [Fact]
    public async Task Release_subtracts_both_terminations_and_returns_their_statistics()
    {
        var (gateway, controller, session) = await EstablishedAsync();
        Assert.Equal(1, controller.ActiveContexts);

        var released = await session.ReleaseAsync();

        Assert.True(released.Succeeded);
        Assert.Contains("Context = 1 {\nSubtract = msrp/1 {\nAudit {\nStatistics\n}\n},\nSubtract = msrp/2 {\nAudit {\nStatistics\n}\n}", Normalize(gateway.LastText));
        Assert.Equal(2, released.Statistics.Count);
        var access = released.Statistics[0];
        Assert.Equal(new TerminationId("msrp/1"), access.Termination);
        Assert.Equal(1000UL, access.OctetsSent);
        Assert.Equal(2000UL, access.OctetsReceived);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), access.Duration);
        Assert.Equal(4000UL, released.Statistics[1].OctetsReceived);
        Assert.Equal(MsrpSessionState.Released, session.State);
        Assert.Equal(0, controller.ActiveContexts);
        Assert.Equal(0, gateway.Engine.ContextCount);

        var again = await session.ReleaseAsync();
        Assert.True(again.Succeeded);
        Assert.Empty(again.Statistics);
        Assert.Equal(3, gateway.Texts.Count);
    }

    [Fact]
    public async Task Release_that_gets_no_reply_still_forgets_the_session()
    {
        var (gateway, controller, session) = await EstablishedAsync();
        gateway.TimeOutNext();

        var released = await session.ReleaseAsync();

        Assert.Equal(MgcFailureKind.GatewayUnavailable, released.Failure!.Kind);
        Assert.Equal(MsrpSessionState.Released, session.State);
        Assert.Equal(0, controller.ActiveContexts);
    }

    [Fact]
    public async Task Notify_events_reach_the_owner_with_leg_and_detail()
    {
        var (_, controller, session) = await EstablishedAsync();
        using var timeout = new CancellationTokenSource(Bound);

        var answer = await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1,
            Notifies.Event("tcpx", "est", ("ra", "10.0.0.1:50000")),
            Notifies.Event("tlsx", "est", ("ver", "tls13"), ("cs", "TLS_AES_256_GCM_SHA384"))), timeout.Token);
        Assert.Null(answer.Error);
        var reply = Assert.Single(answer.Actions);
        Assert.Null(reply.Error);
        Assert.Equal(new NotifyReply([new TerminationId("msrp/1")]), Assert.Single(reply.Commands));

        await controller.HandleRequestAsync(Notifies.Request(1, "msrp/2", 2, Notifies.Event("tcpx", "lost", ("cause", "reset"))), timeout.Token);
        await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1, Notifies.Event("adid", "ipstop")), timeout.Token);
        await session.ReleaseAsync(timeout.Token);

        var events = new List<MsrpMediaEvent>();
        await foreach (var item in session.ReadEventsAsync(timeout.Token))
        {
            events.Add(item);
        }
        Assert.Equal(
        [
            (MsrpLeg.Access, MsrpEventKind.ConnectionEstablished, "10.0.0.1:50000"),
            (MsrpLeg.Access, MsrpEventKind.TlsEstablished, "tls13 TLS_AES_256_GCM_SHA384"),
            (MsrpLeg.Core, MsrpEventKind.ConnectionLost, "reset"),
            (MsrpLeg.Access, MsrpEventKind.Inactivity, null),
        ], events.Select(e => (e.Leg, e.Kind, e.Detail)));
    }

    [Fact]
    public async Task Notifies_that_fit_no_session_get_the_h248_error_for_them()
    {
        var (_, controller, _) = await EstablishedAsync();

        Assert.Equal((ushort)H248ErrorCode.UnknownContextId, ActionError(await controller.HandleRequestAsync(Notifies.Request(7, "msrp/1", 1, Notifies.Event("tcpx", "est")))));
        Assert.Equal((ushort)H248ErrorCode.TerminationIdNotInSpecifiedContext, ActionError(await controller.HandleRequestAsync(Notifies.Request(1, "msrp/9", 1, Notifies.Event("tcpx", "est")))));
        Assert.Equal((ushort)H248ErrorCode.UnexpectedEventOrRequestId, ActionError(await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 99, Notifies.Event("tcpx", "est")))));
        var modify = Notifies.Of(new ActionRequest(new ContextId(1), [new CommandRequest(new AmmRequest(AmmKind.Modify, [new TerminationId("msrp/1")], []))]));
        Assert.Equal((ushort)H248ErrorCode.UnsupportedOrUnknownCommand, ActionError(await controller.HandleRequestAsync(modify)));
    }

    [Fact]
    public async Task A_flood_of_events_is_bounded()
    {
        var (_, controller, session) = await EstablishedAsync();

        for (var i = 0; i < 1000; i++)
        {
            await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1, Notifies.Event("tcpx", "lost", ("cause", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        }
        await session.ReleaseAsync();

        var kept = new List<MsrpMediaEvent>();
        using var timeout = new CancellationTokenSource(Bound);
        await foreach (var item in session.ReadEventsAsync(timeout.Token))
        {
            kept.Add(item);
        }
        Assert.Equal(64, kept.Count);
        Assert.Equal(1000 - 64, session.DroppedEvents);
        Assert.Equal("999", kept[^1].Detail);
    }

    [Fact]
    public async Task Gateway_lost_ends_every_session_with_an_event()
    {
        var (_, controller, session) = await EstablishedAsync();
        using var timeout = new CancellationTokenSource(Bound);

        controller.OnGatewayLost();

        var events = new List<MsrpMediaEvent>();
        await foreach (var item in session.ReadEventsAsync(timeout.Token))
        {
            events.Add(item);
        }
        Assert.Equal(MsrpEventKind.GatewayLost, Assert.Single(events).Kind);
        Assert.Equal(MsrpSessionState.Released, session.State);
        Assert.Equal(0, controller.ActiveContexts);
        Assert.Equal(MgcFailureKind.InvalidState, (await session.OfferFromAccessAsync(Sdps.UeOffer())).Failure!.Kind);
    }

    [Fact]
    public async Task With_a_validator_the_mg_notify_and_replies_are_checked_against_the_profile()
    {
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        var validator = new ProfileValidator(catalog, catalog.GetProfile("iq"));
        var (gateway, controller, session) = await EstablishedAsync(validator);

        var unknown = await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1, Notifies.Event("bogus", "evt")));
        Assert.Equal((ushort)H248ErrorCode.UnsupportedOrUnknownPackage, ActionError(unknown));
        var known = await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1, Notifies.Event("adid", "ipstop")));
        Assert.Null(Assert.Single(known.Actions).Error);

        // A Subtract reply with a statistic the profile lacks (H.248.8 453) is the MG breaking the profile.
        gateway.Tamper = reply => reply with
        {
            Commands = [.. reply.Commands.AsSpan().ToArray().Select(c => c is AmmsReply { Kind: AmmsKind.Subtract } s
                ? s with { Audit = [new StatisticsDescriptor([new StatisticsParameter(new PkgdName("nt", "bogus"), ["1"])])] }
                : c)],
        };
        var released = await session.ReleaseAsync();
        Assert.Equal(MgcFailureKind.GatewayError, released.Failure!.Kind);
        Assert.Equal((ushort)H248ErrorCode.NoSuchStatisticInThisPackage, released.Failure.ErrorCode);
    }

    private static ushort? ActionError(TransactionAnswer answer) => Assert.Single(answer.Actions).Error?.Code;
}
