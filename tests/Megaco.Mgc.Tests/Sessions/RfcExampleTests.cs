using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using static Megaco.Mgc.Tests.Sessions.OriginatingSessionTests;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>
/// The SDP examples of the RFCs through the IMS-ALG. RFC 4975 §8.7 ("Example SDP Exchange", TOC of RFC 4975;
/// the offer as quoted at primidi.com/message_session_relay_protocol/usage_in_sip) and RFC 6714 (abstract at
/// rfc-editor.org/info/rfc6714: the msrp-cema attribute lets middleboxes anchor MSRP without modifying messages).
/// </summary>
public sealed class RfcExampleTests
{
    /// <summary>RFC 4975 §8.7, Alice's offer, verbatim.</summary>
    private static readonly string AliceOffer = Sdps.Body(
        "v=0",
        "o=alice 2890844526 2890844527 IN IP4 alice.example.com",
        "s= -",
        "c=IN IP4 alice.example.com",
        "t=0 0",
        "m=message 7394 TCP/MSRP *",
        "a=accept-types:text/plain",
        "a=path:msrp://alice.example.com:7394/2s93i9ek2a;tcp");

    /// <summary>RFC 4975 §8.7, Bob's answer.</summary>
    private static readonly string BobAnswer = Sdps.Body(
        "v=0",
        "o=bob 2890844612 2890844616 IN IP4 bob.example.com",
        "s= -",
        "c=IN IP4 bob.example.com",
        "t=0 0",
        "m=message 8493 TCP/MSRP *",
        "a=accept-types:text/plain",
        "a=path:msrp://bob.example.com:8493/si438dsaodes;tcp");

    private static string Resolved(string sdp) => sdp
        .Replace("c=IN IP4 alice.example.com", "c=IN IP4 192.0.2.1", StringComparison.Ordinal)
        .Replace("c=IN IP4 bob.example.com", "c=IN IP4 198.51.100.2", StringComparison.Ordinal);

    [Fact]
    public async Task Rfc4975_example_offer_with_a_domain_name_is_not_acceptable_to_the_agw()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcome = await session.OfferFromAccessAsync(AliceOffer);

        // The MG admits or reaches an IP address; the P-CSCF gets 488, not a guess.
        Assert.Equal(MgcFailureKind.NotAcceptable, outcome.Failure!.Kind);
        Assert.Empty(gateway.Texts);
    }

    [Fact]
    public async Task Rfc4975_example_exchange_through_an_msrp_aware_agw()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        var towardsBob = await session.OfferFromAccessAsync(Resolved(AliceOffer));
        Assert.True(towardsBob.Succeeded, towardsBob.ToString());
        // No CEMA in RFC 4975: Bob would connect to and match on a=path, so the AGW presents its own (MSRP-aware).
        Assert.Equal(
        [
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 alice.example.com",
            "s= -",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message 40001 TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:msrp://127.0.0.1:40001/mg40001;tcp",
            "a=setup:actpass",
            "a=connection:new",
        ], Sdps.Lines(towardsBob.Sdp));
        // RFC 4145 §4: Alice's offer without a=setup is active; the Remote says so, and the MG listens.
        var add = Normalize(gateway.Texts[0]);
        Assert.Contains("Remote {\nv=0\nc=IN IP4 192.0.2.1\nm=message 7394 TCP/MSRP *\na=path:msrp://alice.example.com:7394/2s93i9ek2a;tcp\na=setup:active\n}", add);

        var towardsAlice = await session.AnswerFromCoreAsync(Resolved(BobAnswer));
        Assert.True(towardsAlice.Succeeded, towardsAlice.ToString());
        // Bob's answer without a=setup is passive (RFC 4145 §4): the MG, which offered actpass, connects to him.
        Assert.Contains("Remote {\nv=0\nc=IN IP4 198.51.100.2\nm=message 8493 TCP/MSRP *\na=path:msrp://bob.example.com:8493/si438dsaodes;tcp\na=setup:passive\n}", Normalize(gateway.LastText));
        Assert.Equal(
        [
            "v=0",
            "o=bob 2890844612 2890844616 IN IP4 bob.example.com",
            "s= -",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message 40000 TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:msrp://127.0.0.1:40000/mg40000;tcp",
            "a=setup:passive",
            "a=connection:new",
        ], Sdps.Lines(towardsAlice.Sdp));
    }

    [Fact]
    public async Task Rfc6714_cema_endpoints_keep_their_paths_and_the_agw_changes_only_c_and_m()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        var offer = Resolved(AliceOffer) + "a=setup:actpass\r\na=msrp-cema\r\n";
        var answer = Resolved(BobAnswer) + "a=setup:active\r\na=msrp-cema\r\n";

        var towardsBob = await session.OfferFromAccessAsync(offer);
        var towardsAlice = await session.AnswerFromCoreAsync(answer);

        Assert.True(towardsBob.Succeeded && towardsAlice.Succeeded);
        Assert.DoesNotContain("a=path:$", string.Concat(gateway.Texts));
        var bobSees = Sdps.Lines(towardsBob.Sdp!);
        Assert.Contains("a=path:msrp://alice.example.com:7394/2s93i9ek2a;tcp", bobSees);
        Assert.Contains("a=msrp-cema", bobSees);
        Assert.Contains("c=IN IP4 127.0.0.1", bobSees);
        Assert.Contains("m=message 40001 TCP/MSRP *", bobSees);
        var aliceSees = Sdps.Lines(towardsAlice.Sdp!);
        Assert.Contains("a=path:msrp://bob.example.com:8493/si438dsaodes;tcp", aliceSees);
        Assert.Contains("a=msrp-cema", aliceSees);
        Assert.Contains("m=message 40000 TCP/MSRP *", aliceSees);
        Assert.Contains("a=setup:passive", aliceSees);
    }
}
