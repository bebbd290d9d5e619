using System.Net;
using Megaco.Mgc.Conferences;
using Megaco.Mgc.Events;
using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol.Model;
using static Megaco.Mgc.Tests.Sessions.OriginatingSessionTests;

namespace Megaco.Mgc.Tests.Conferences;

/// <summary>The MRFC side (Mp): one context, one termination per participant, each answered with its own SDP.</summary>
public sealed class ConferenceTests
{
    private static readonly PreSharedKey Key = new("conf-7", new byte[16]);

    [Fact]
    public async Task Three_participants_tls_tcp_and_latched_join_one_context_and_leave()
    {
        var gateway = new RecordingGateway();
        var controller = new MsrpConferenceController(gateway);
        var conference = controller.CreateConference();

        var tls = await conference.AddParticipantAsync(Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:actpass", "a=fingerprint:" + Sdps.UeFingerprint));
        var tcp = await conference.AddParticipantAsync(Sdps.UeOffer("TCP/MSRP", "192.0.2.20", "a=setup:active"));
        var natted = await conference.AddParticipantAsync(Sdps.UeOffer("TCP/MSRP", "10.0.0.5", "a=setup:active"),
            MsrpPolicy.Default with { UeSignallingAddress = IPAddress.Parse("203.0.113.9") });

        Assert.True(tls.Succeeded && tcp.Succeeded && natted.Succeeded);
        Assert.Equal([new TerminationId("msrp/1"), new TerminationId("msrp/2"), new TerminationId("msrp/3")], [tls.Participant, tcp.Participant, natted.Participant]);
        Assert.Equal(new ContextId(1), conference.Context);
        Assert.Equal(1, controller.ActiveContexts);
        Assert.Contains("Context = $ {", gateway.Texts[0]);
        Assert.Contains("Context = 1 {", gateway.Texts[1]);
        Assert.Contains("Context = 1 {", gateway.Texts[2]);

        // Each is MSRP-aware with the MRFP's own path; TLS asks for the MRFP's fingerprint; NAT asks for latching.
        var first = Normalize(gateway.Texts[0]);
        Assert.Contains("m=message $ TCP/TLS/MSRP *\na=setup:passive\na=fingerprint:sha-256 $\na=path:$\n}", first);
        Assert.Contains("tlsx/fail", first);
        Assert.Contains("m=message $ TCP/MSRP *\na=setup:passive\na=path:$\n}", Normalize(gateway.Texts[1]));
        Assert.DoesNotContain("ipnapt", gateway.Texts[1]);
        Assert.Contains("ipnapt/latch=latch", gateway.Texts[2]);

        var answer = Sdps.Lines(tls.Answer);
        Assert.Contains("m=message 40000 TCP/TLS/MSRP *", answer);
        Assert.Contains("a=fingerprint:" + FakeMgEngine.Fingerprint, answer);
        Assert.Contains("a=path:msrps://127.0.0.1:40000/mg40000;tcp", answer);
        Assert.Contains("a=setup:passive", answer);
        Assert.Contains("c=IN IP4 127.0.0.1", answer);
        Assert.Contains("a=accept-types:text/plain", answer);
        Assert.DoesNotContain(Sdps.Lines(tcp.Answer), l => l.StartsWith("a=fingerprint", StringComparison.Ordinal));

        var removed = await conference.RemoveParticipantAsync(tcp.Participant);
        Assert.True(removed.Succeeded);
        Assert.Equal(4000UL, Assert.Single(removed.Statistics).OctetsReceived);
        Assert.Contains("Context = 1 {\nSubtract = msrp/2 {", Normalize(gateway.LastText));
        Assert.Equal(2, conference.Participants.Count);

        var ended = await conference.EndAsync();
        Assert.True(ended.Succeeded);
        Assert.Contains("Subtract = * {", gateway.LastText);
        Assert.Equal([new TerminationId("msrp/1"), new TerminationId("msrp/3")], ended.Statistics.Select(s => s.Termination));
        Assert.True(conference.Ended);
        Assert.Equal(0, controller.ActiveContexts);
        Assert.Equal(0, gateway.Engine.ContextCount);
    }

    [Fact]
    public async Task Psk_participant_gets_its_key_in_local_control()
    {
        var gateway = new RecordingGateway();
        var conference = new MsrpConferenceController(gateway).CreateConference();

        var joined = await conference.AddParticipantAsync(Sdps.UeOffer("TCP/TLS/MSRP"), new MsrpPolicy { PreSharedKey = Key });

        Assert.True(joined.Succeeded, joined.Failure?.ToString());
        Assert.Contains("tlsx/pskid=conf-7", gateway.LastText);
        Assert.DoesNotContain("a=fingerprint", joined.Answer);
    }

    [Fact]
    public async Task Refusals_are_typed()
    {
        var gateway = new RecordingGateway();
        var conference = new MsrpConferenceController(gateway).CreateConference(maxParticipants: 1);

        Assert.Equal(MgcFailureKind.NotAcceptable, (await conference.AddParticipantAsync(Sdps.UeOffer("TCP/TLS/MSRP"))).Failure!.Kind);
        Assert.Equal(MgcFailureKind.NotAcceptable, (await conference.AddParticipantAsync(Sdps.UeOffer(), new MsrpPolicy { AllowClearAccess = false })).Failure!.Kind);
        Assert.Equal(MgcFailureKind.MalformedSdp, (await conference.AddParticipantAsync("v=0\r\nbroken")).Failure!.Kind);
        Assert.Empty(gateway.Texts);

        Assert.True((await conference.AddParticipantAsync(Sdps.UeOffer())).Succeeded);
        var full = await conference.AddParticipantAsync(Sdps.UeOffer());
        Assert.Equal(503, full.Failure!.SipStatusCode);
        Assert.Equal(MgcFailureKind.InvalidState, (await conference.RemoveParticipantAsync(new TerminationId("msrp/77"))).Failure!.Kind);

        await conference.EndAsync();
        Assert.Equal(MgcFailureKind.InvalidState, (await conference.AddParticipantAsync(Sdps.UeOffer())).Failure!.Kind);
    }

    [Fact]
    public async Task Removing_the_last_participant_ends_the_context_and_the_next_starts_a_new_one()
    {
        var gateway = new RecordingGateway();
        var conference = new MsrpConferenceController(gateway).CreateConference();

        var only = await conference.AddParticipantAsync(Sdps.UeOffer());
        await conference.RemoveParticipantAsync(only.Participant!);
        Assert.True(conference.Context.IsNull);
        var next = await conference.AddParticipantAsync(Sdps.UeOffer());

        Assert.True(next.Succeeded);
        Assert.Contains("Context = $ {", gateway.LastText);
        Assert.Equal(new ContextId(2), conference.Context);
    }

    [Fact]
    public async Task Participant_events_arrive_and_mg_failure_is_a_typed_refusal()
    {
        var gateway = new RecordingGateway();
        var controller = new MsrpConferenceController(gateway);
        var conference = controller.CreateConference();
        var joined = await conference.AddParticipantAsync(Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:" + Sdps.UeFingerprint));

        await controller.HandleRequestAsync(Notifies.Request(1, "msrp/1", 1, Notifies.Event("tlsx", "fail", ("cause", "fpmismatch"))));
        gateway.Engine.FailNextCommand(Megaco.Protocol.Errors.H248ErrorCode.MaxTerminationsInContextExceeded, "full");
        var refused = await conference.AddParticipantAsync(Sdps.UeOffer());
        await conference.EndAsync();

        Assert.Equal(MgcFailureKind.GatewayResourcesExhausted, refused.Failure!.Kind);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<MsrpMediaEvent>();
        await foreach (var item in conference.ReadEventsAsync(timeout.Token))
        {
            events.Add(item);
        }
        var failure = Assert.Single(events);
        Assert.Equal((MsrpLeg.Participant, MsrpEventKind.TlsFailed, "fpmismatch"), (failure.Leg, failure.Kind, failure.Detail));
        Assert.Equal(joined.Participant, failure.Termination);
    }

    [Fact]
    public async Task Dial_out_offers_the_mrfp_media_and_takes_the_ue_answer()
    {
        var gateway = new RecordingGateway();
        var conference = new MsrpConferenceController(gateway).CreateConference();
        var policy = new MsrpPolicy { OfferTlsToUe = true, UeSignallingAddress = IPAddress.Parse("203.0.113.9") };

        var invited = await conference.InviteParticipantAsync("message/cpim text/plain", policy);

        Assert.True(invited.Succeeded, invited.Failure?.ToString());
        var add = Normalize(gateway.LastText);
        Assert.Contains("Context = $ {\nAdd = $ {", add);
        Assert.Contains("Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:passive\na=fingerprint:sha-256 $\na=path:$\n}\n}", add);
        Assert.DoesNotContain("Remote", add);
        var offer = Sdps.Lines(invited.Answer);
        Assert.Equal("v=0", offer[0]);
        Assert.StartsWith("o=- ", offer[1], StringComparison.Ordinal);
        Assert.EndsWith(" 1 IN IP4 127.0.0.1", offer[1], StringComparison.Ordinal);
        Assert.Equal(
        [
            "s=-",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message 40000 TCP/TLS/MSRP *",
            "a=accept-types:message/cpim text/plain",
            "a=path:msrps://127.0.0.1:40000/mg40000;tcp",
            "a=setup:passive",
            "a=connection:new",
            "a=fingerprint:" + FakeMgEngine.Fingerprint,
        ], offer[2..]);

        Assert.Equal(MgcFailureKind.NotAcceptable, (await conference.AnswerFromParticipantAsync(invited.Participant, Sdps.UeOffer("TCP/TLS/MSRP", "10.0.0.5", "a=setup:active")))!.Kind);
        var failure = await conference.AnswerFromParticipantAsync(invited.Participant,
            Sdps.UeOffer("TCP/TLS/MSRP", "10.0.0.5", "a=setup:active", "a=fingerprint:" + Sdps.UeFingerprint));

        Assert.Null(failure);
        var modify = Normalize(gateway.LastText);
        Assert.Contains("Context = 1 {\nModify = msrp/1 {\nMedia {\nLocalControl {\nMode = SendReceive,\nipnapt/latch=latch\n},\nRemote {\nv=0\nc=IN IP4 10.0.0.5", modify);
        Assert.Contains("a=fingerprint:" + Sdps.UeFingerprint, modify);
        Assert.Equal(MgcFailureKind.InvalidState, (await conference.AnswerFromParticipantAsync(invited.Participant, Sdps.UeOffer()))!.Kind);
        Assert.Equal([invited.Participant], conference.Participants);
    }
}
