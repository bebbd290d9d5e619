using System.Net;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using static Megaco.Mgc.Tests.Sessions.OriginatingSessionTests;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>Core → UE (terminating) sessions: the offer reaches the UE through the MG, the UE's answer goes back.</summary>
public sealed class TerminatingSessionTests
{
    [Fact]
    public async Task Network_requested_e2ae_offers_tls_to_the_ue_with_the_mg_fingerprint_while_the_core_stays_clear()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession(new MsrpPolicy { OfferTlsToUe = true, TerminateTls = true });

        var toUe = await session.OfferFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:actpass"));
        Assert.True(toUe.Succeeded, toUe.ToString());

        var add = Normalize(gateway.Texts.Single());
        // Access: TLS by certificate, the MG passive so the UE connects; no Remote before the UE answers.
        Assert.Contains("Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:passive\na=fingerprint:sha-256 $\na=path:$\n}\n}", add);
        // Core: the MG answers the core's actpass with active (RFC 4145 §4.1), the core's media in Remote.
        Assert.Contains("Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:active\na=path:$\n},\nRemote {\nv=0\nc=IN IP4 198.51.100.20\nm=message 12763 TCP/MSRP *", add);

        var lines = Sdps.Lines(toUe.Sdp);
        Assert.Contains("m=message 40000 TCP/TLS/MSRP *", lines);
        Assert.Contains("a=setup:passive", lines);
        Assert.Contains("a=fingerprint:" + FakeMgEngine.Fingerprint, lines);
        Assert.Contains("a=path:msrps://127.0.0.1:40000/mg40000;tcp", lines);
        Assert.Contains("a=3ge2ae:applied", lines);
        Assert.Contains("c=IN IP4 127.0.0.1", lines);

        var toCore = await session.AnswerFromAccessAsync(Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:active", "a=fingerprint:" + Sdps.UeFingerprint));
        Assert.True(toCore.Succeeded, toCore.ToString());
        var modify = Normalize(gateway.LastText);
        Assert.Contains("Modify = msrp/1 {", modify);
        Assert.Contains("a=fingerprint:" + Sdps.UeFingerprint, modify);
        var answer = Sdps.Lines(toCore.Sdp);
        Assert.Contains("m=message 40001 TCP/MSRP *", answer);
        Assert.Contains("a=setup:active", answer);
        Assert.Contains("a=path:msrp://127.0.0.1:40001/mg40001;tcp", answer);
        Assert.DoesNotContain(answer, l => l.StartsWith("a=fingerprint", StringComparison.Ordinal) || l.StartsWith("a=3ge2ae", StringComparison.Ordinal));
        Assert.Equal(MsrpSessionState.Established, session.State);
    }

    [Fact]
    public async Task Latching_is_decided_at_the_ue_answer_when_it_shows_nat()
    {
        var gateway = new RecordingGateway();
        var policy = MsrpPolicy.Default with { UeSignallingAddress = IPAddress.Parse("203.0.113.7") };
        var session = new MsrpSessionController(gateway).CreateSession(policy);

        await session.OfferFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:actpass", "a=msrp-cema"));
        Assert.DoesNotContain("ipnapt", gateway.LastText);
        var toCore = await session.AnswerFromAccessAsync(Sdps.UeOffer("TCP/MSRP", "10.1.2.3", "a=setup:active", "a=msrp-cema"));

        Assert.True(toCore.Succeeded, toCore.ToString());
        Assert.Contains("Modify = msrp/1 {\nMedia {\nLocalControl {\nMode = SendReceive,\nipnapt/latch=latch\n},\nRemote {", Normalize(gateway.LastText));
        Assert.True(session.Mode!.Latching);
    }

    [Fact]
    public async Task Tls_offered_by_the_core_is_forwarded_end_to_end_by_default()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();

        var toUe = await session.OfferFromCoreAsync(Sdps.Core("TCP/TLS/MSRP", "a=setup:actpass", "a=fingerprint:" + Sdps.CoreFingerprint, "a=msrp-cema"));

        Assert.True(toUe.Succeeded, toUe.ToString());
        Assert.True(session.Mode!.IsEndToEnd);
        Assert.Contains("a=fingerprint:" + Sdps.CoreFingerprint, Sdps.Lines(toUe.Sdp));
        Assert.DoesNotContain("a=3ge2ae", toUe.Sdp);
        Assert.DoesNotContain("a=fingerprint:sha-256 $", gateway.LastText);
    }

    [Fact]
    public async Task Reinvite_from_the_core_modifies_the_core_remote()
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession();
        await session.OfferFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:actpass", "a=msrp-cema"));
        await session.AnswerFromAccessAsync(Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:active", "a=msrp-cema"));

        var reoffer = await session.OfferFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:actpass", "a=msrp-cema", "a=connection:existing"));

        Assert.True(reoffer.Succeeded, reoffer.ToString());
        Assert.Contains("Modify = msrp/2 {", Normalize(gateway.LastText));
        Assert.Contains("a=connection:existing", Sdps.Lines(reoffer.Sdp));
        Assert.Contains("m=message 40000 TCP/MSRP *", Sdps.Lines(reoffer.Sdp));
    }
}
