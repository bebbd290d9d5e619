using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using static Megaco.Mgc.Tests.Sessions.OriginatingSessionTests;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>Hostile SDP, MG errors and misuse: each is a typed failure with its SIP code, and nothing is left on the MG.</summary>
public sealed class SessionFailureTests
{
    public static TheoryData<string, string> MalformedOffers => new()
    {
        { "not sdp", "garbage" },
        { "no v=0", Sdps.UeOffer()[5..] },
        { "bad line", Sdps.UeOffer() + "this is not a line\r\n" },
        { "upper-case type", Sdps.UeOffer() + "A=foo\r\n" },
        { "bad setup", Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:sideways") },
        { "bad connection", Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=connection:maybe") },
        { "bad port", Sdps.UeOffer().Replace("7654 TCP", "76x4 TCP", StringComparison.Ordinal) },
        { "port too large", Sdps.UeOffer().Replace("7654 TCP", "70000 TCP", StringComparison.Ordinal) },
        { "bad fingerprint", Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:sha-256 not-hex") },
        { "fingerprint shorter than its hash", Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:sha-256 4A:AD:B9:B1") },
        { "fingerprint with md5", Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B") },
        { "bad path", Sdps.UeOffer().Replace("a=path:msrp://192.0.2.10:7654/jshA7weztas;tcp", "a=path:http://x/y", StringComparison.Ordinal) },
        { "c= family mismatch", Sdps.UeOffer().Replace("c=IN IP4 192.0.2.10", "c=IN IP6 192.0.2.10", StringComparison.Ordinal) },
        { "NUL in the m= line", Sdps.UeOffer().Replace("TCP/MSRP *", "TCP/MSRP *\0", StringComparison.Ordinal) },
        { "control character in an attribute", Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=msrp-cema\u001b[2J") },
        { "bare CR inside a line", Sdps.UeOffer().Replace("a=accept-types:text/plain", "a=accept-types:text/plain\rb=evil", StringComparison.Ordinal) },
        { "too long", Sdps.UeOffer() + string.Concat(Enumerable.Repeat("a=x:" + new string('y', 1000) + "\r\n", 70)) },
        { "too many lines", Sdps.UeOffer() + string.Concat(Enumerable.Repeat("a=x\r\n", 1100)) },
    };

    [Theory]
    [MemberData(nameof(MalformedOffers))]
    public async Task Malformed_sdp_is_refused_with_400_before_anything_is_sent(string why, string offer)
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(offer);

        Assert.False(outcome.Succeeded, why);
        Assert.Equal(MgcFailureKind.MalformedSdp, outcome.Failure.Kind);
        Assert.Equal(400, outcome.Failure.SipStatusCode);
        Assert.Empty(gateway.Texts);
        Assert.Equal(MsrpSessionState.Idle, session.State);
    }

    public static TheoryData<string, string> UnacceptableOffers => new()
    {
        { "no msrp stream", Sdps.Body("v=0", "o=a 1 1 IN IP4 192.0.2.10", "s= ", "c=IN IP4 192.0.2.10", "t=0 0", "m=audio 4000 RTP/AVP 0") },
        { "domain name in c=", Sdps.UeOffer().Replace("c=IN IP4 192.0.2.10", "c=IN IP4 alice.example.com", StringComparison.Ordinal) },
        { "no c=", Sdps.UeOffer().Replace("c=IN IP4 192.0.2.10\r\n", "", StringComparison.Ordinal) },
        { "rejected stream", Sdps.UeOffer().Replace("7654 TCP", "0 TCP", StringComparison.Ordinal) },
        { "e2e without cema", Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:" + Sdps.UeFingerprint) },
    };

    [Theory]
    [MemberData(nameof(UnacceptableOffers))]
    public async Task Unacceptable_offers_are_refused_with_488(string why, string offer)
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(offer);

        Assert.False(outcome.Succeeded, why);
        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure.Kind);
        Assert.Equal(488, outcome.Failure.SipStatusCode);
        Assert.Empty(gateway.Texts);
    }

    [Fact]
    public async Task Clear_tcp_is_refused_when_policy_requires_tls()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession(new MsrpPolicy { AllowClearAccess = false });

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure!.Kind);
        Assert.Empty(gateway.Texts);
    }

    [Theory]
    [InlineData(H248ErrorCode.InsufficientResources, MgcFailureKind.GatewayResourcesExhausted, 503)]
    [InlineData(H248ErrorCode.NoContextIdsAvailable, MgcFailureKind.GatewayResourcesExhausted, 503)]
    [InlineData(H248ErrorCode.MaxTerminationsInContextExceeded, MgcFailureKind.GatewayResourcesExhausted, 503)]
    [InlineData(H248ErrorCode.OutOfTerminationIds, MgcFailureKind.GatewayResourcesExhausted, 503)]
    [InlineData(H248ErrorCode.ServiceUnavailable, MgcFailureKind.GatewayUnavailable, 503)]
    [InlineData(H248ErrorCode.NotImplemented, MgcFailureKind.MediaRefused, 488)]
    [InlineData(H248ErrorCode.UnsupportedMediaType, MgcFailureKind.MediaRefused, 488)]
    [InlineData(H248ErrorCode.UnsupportedOrUnknownPackage, MgcFailureKind.MediaRefused, 488)]
    [InlineData(H248ErrorCode.InternalSoftwareFailure, MgcFailureKind.GatewayError, 500)]
    [InlineData(H248ErrorCode.InternalHardwareFailure, MgcFailureKind.GatewayError, 500)]
    public async Task Mg_error_on_the_first_add_maps_to_a_typed_failure(H248ErrorCode code, MgcFailureKind kind, int sip)
    {
        var gateway = new RecordingGateway();
        gateway.Engine.FailNextCommand(code, "scripted");
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(kind, outcome.Failure!.Kind);
        Assert.Equal(sip, outcome.Failure.SipStatusCode);
        Assert.Equal((ushort)code, outcome.Failure.ErrorCode);
        Assert.Single(gateway.Texts);
        Assert.Equal(MsrpSessionState.Idle, session.State);
    }

    [Fact]
    public async Task A_failed_second_add_is_undone_by_subtracting_the_first_termination()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        // H.248.1 §8: the first Add stays executed (context 1, msrp/1) when the second fails.
        gateway.Engine.FailCommandNumber(2, H248ErrorCode.InsufficientResources, "no port");

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(503, outcome.Failure!.SipStatusCode);
        Assert.Equal(2, gateway.Texts.Count);
        Assert.Contains("Context = 1 {\nSubtract = msrp/1 {", Normalize(gateway.Texts[1]));
        Assert.Equal(0, gateway.Engine.ContextCount);
        Assert.Equal(MsrpSessionState.Idle, session.State);
    }

    [Fact]
    public async Task No_reply_from_the_mg_is_503()
    {
        var gateway = new RecordingGateway();
        gateway.TimeOutNext();
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(MgcFailureKind.GatewayUnavailable, outcome.Failure!.Kind);
        Assert.Equal(503, outcome.Failure.SipStatusCode);
    }

    [Fact]
    public async Task A_transaction_error_from_the_mg_is_typed_by_its_code()
    {
        var gateway = new RecordingGateway();
        gateway.RefuseNext((ushort)H248ErrorCode.TransactionRequestReceivedBeforeServiceChangeReply, "not registered");
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(MgcFailureKind.GatewayUnavailable, outcome.Failure!.Kind);
        Assert.Equal((ushort)505, outcome.Failure.ErrorCode);
    }

    [Fact]
    public async Task Misuse_of_the_offer_answer_order_is_invalid_state()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        Assert.Equal(MgcFailureKind.InvalidState, (await session.AnswerFromCoreAsync(Sdps.Core())).Failure!.Kind);
        await session.OfferFromAccessAsync(Sdps.UeOffer());
        Assert.Equal(MgcFailureKind.InvalidState, (await session.OfferFromAccessAsync(Sdps.UeOffer())).Failure!.Kind);
        Assert.Equal(MgcFailureKind.InvalidState, (await session.AnswerFromAccessAsync(Sdps.UeOffer())).Failure!.Kind);
        await session.ReleaseAsync();
        Assert.Equal(MgcFailureKind.InvalidState, (await session.OfferFromCoreAsync(Sdps.Core())).Failure!.Kind);
        Assert.Equal(500, new MgcFailure(MgcFailureKind.InvalidState, "").SipStatusCode);
    }

    [Theory]
    [InlineData("a=setup:actpass")]
    [InlineData("a=setup:passive")]
    [InlineData(null)]
    public async Task An_answer_that_does_not_answer_the_setup_role_is_refused(string? setup)
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        await session.OfferFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:actpass", "a=msrp-cema"));

        // The MG offered passive to the UE; RFC 4145 §4: no a=setup in an answer means passive.
        var outcome = await session.AnswerFromAccessAsync(setup is null ? Sdps.UeOffer() : Sdps.UeOffer("TCP/MSRP", "192.0.2.10", setup));

        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure!.Kind);
    }

    [Fact]
    public async Task An_answer_with_another_protocol_is_refused()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        await session.OfferFromAccessAsync(Sdps.UeOffer());

        var outcome = await session.AnswerFromCoreAsync(Sdps.Core("TCP/TLS/MSRP"));

        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure!.Kind);
        Assert.Single(gateway.Texts);
    }

    [Fact]
    public async Task A_reoffer_that_changes_the_protocol_is_refused()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        await session.OfferFromAccessAsync(Sdps.UeOffer());
        await session.AnswerFromCoreAsync(Sdps.Core());

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=fingerprint:" + Sdps.UeFingerprint, "a=msrp-cema"));

        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure!.Kind);
        Assert.Equal(MsrpSessionState.Established, session.State);
    }

    [Fact]
    public async Task A_cancelled_call_returns_cancelled_and_sends_nothing()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer(), cancelled.Token);

        Assert.Equal(MgcFailureKind.Cancelled, outcome.Failure!.Kind);
        Assert.Empty(gateway.Texts);
    }

    [Fact]
    public async Task A_reply_without_the_filled_local_is_a_gateway_error_and_is_undone()
    {
        var gateway = new RecordingGateway();
        gateway.Engine.LeaveLocalUnfilled = true;
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(MgcFailureKind.GatewayError, outcome.Failure!.Kind);
        Assert.Contains("unfilled", outcome.Failure.Detail);
        Assert.Contains("Subtract = msrp/1", gateway.LastText);
        Assert.Contains("Subtract = msrp/2", gateway.LastText);
        Assert.Equal(0, gateway.Engine.ContextCount);
    }

    [Fact]
    public async Task A_reply_naming_a_wildcard_termination_is_a_gateway_error()
    {
        var gateway = new RecordingGateway
        {
            Tamper = reply => reply with
            {
                Commands = [.. reply.Commands.AsSpan().ToArray().Select(c => c is AmmsReply { Kind: AmmsKind.Add } add && add.TerminationIds[0].Text == "msrp/2"
                    ? add with { TerminationIds = [TerminationId.All] }
                    : c)],
            },
        };
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(Sdps.UeOffer());

        Assert.Equal(MgcFailureKind.GatewayError, outcome.Failure!.Kind);
        // Only what the MG named concretely is undone.
        Assert.Contains("Subtract = msrp/1", gateway.LastText);
        Assert.DoesNotContain("Subtract = *", gateway.LastText);
    }

    [Fact]
    public void Programmer_errors_are_argument_exceptions()
    {
        Assert.Throws<ArgumentNullException>(() => new MsrpSessionController(null!));
        Assert.Throws<ArgumentException>(() => new PreSharedKey("id", new byte[4]));
        Assert.Throws<ArgumentException>(() => new PreSharedKey("with space", new byte[16]));
    }
}
