using System.Net;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>
/// UE → core (originating) sessions per mode: the exact Add/Modify the MGC sends (as H.248 text) and the SDP
/// it produces towards the core and back to the UE.
/// </summary>
public sealed class OriginatingSessionTests
{
    private static async Task<(RecordingGateway Gateway, MsrpSession Session, string CoreOffer)> OfferAsync(MsrpPolicy policy, string ueOffer)
    {
        var gateway = new RecordingGateway();
        var session = new MsrpSessionController(gateway).CreateSession(policy);
        var outcome = await session.OfferFromAccessAsync(ueOffer);
        Assert.True(outcome.Succeeded, outcome.ToString());
        return (gateway, session, outcome.Sdp);
    }

    [Fact]
    public async Task Plain_tcp_anchors_both_legs_in_a_new_context_and_rewrites_only_the_msrp_media()
    {
        var (gateway, session, coreOffer) = await OfferAsync(MsrpPolicy.Default with { MsrpAwareness = MsrpAwareness.Never },
            Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:actpass"));

        var add = gateway.Texts.Single();
        Assert.Contains("Context = $ {", add);
        Assert.Equal(2, CountOf(add, "Add = $ {"));
        // Access leg: the MG answers the UE's actpass with passive, so the UE connects out (RFC 4145 §4.1).
        Assert.Contains("Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:passive\n}", Normalize(add));
        Assert.Contains("Remote {\nv=0\nc=IN IP4 192.0.2.10\nm=message 7654 TCP/MSRP *\na=path:msrp://192.0.2.10:7654/jshA7weztas;tcp\na=setup:actpass\n}", Normalize(add));
        // Core leg: the MG offers actpass, which it is told as a=setup:$ (answer the Remote when it comes); no Remote yet.
        Assert.Contains("Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:$\n}", Normalize(add));
        Assert.DoesNotContain("ipnapt/latch", add);
        Assert.Contains("tcpx/fail", add);
        Assert.DoesNotContain("tlsx", add);

        Assert.Equal(
        [
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 192.0.2.10",
            "s= ",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message 40001 TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:msrp://192.0.2.10:7654/jshA7weztas;tcp",
            "a=setup:actpass",
            "a=connection:new",
        ], Sdps.Lines(coreOffer));
        Assert.Equal(new ContextId(1), session.Context);
        Assert.Equal(new MsrpSessionMode(LegSecurity.Clear, LegSecurity.Clear, false, false, false), session.Mode);

        var answer = await session.AnswerFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:active"));
        Assert.True(answer.Succeeded, answer.ToString());
        var modify = Normalize(gateway.LastText);
        Assert.Contains("Context = 1 {\nModify = msrp/2 {\nMedia {\nRemote {\nv=0\nc=IN IP4 198.51.100.20\nm=message 12763 TCP/MSRP *\na=path:msrp://198.51.100.20:12763/kjhd37s2s20w2a;tcp\na=setup:active\n}", modify);
        Assert.Equal(
        [
            "v=0",
            "o=bob 2890844612 2890844616 IN IP4 198.51.100.20",
            "s= ",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message 40000 TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:msrp://198.51.100.20:12763/kjhd37s2s20w2a;tcp",
            "a=setup:passive",
            "a=connection:new",
        ], Sdps.Lines(answer.Sdp));
        Assert.Equal(MsrpSessionState.Established, session.State);
    }

    [Fact]
    public async Task E2ae_with_certificates_terminates_tls_at_the_agw_and_clears_the_core_leg()
    {
        var (gateway, session, coreOffer) = await OfferAsync(new MsrpPolicy { TerminateTls = true },
            Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:active", "a=fingerprint:" + Sdps.UeFingerprint, "a=3ge2ae:requested"));

        var add = Normalize(gateway.Texts.Single());
        Assert.Contains("m=message $ TCP/TLS/MSRP *\na=setup:passive\na=fingerprint:sha-256 $\na=path:$\n}", add);
        Assert.Contains("a=fingerprint:" + Sdps.UeFingerprint + "\n}", add);
        Assert.Contains("m=message $ TCP/MSRP *\na=setup:$\na=path:$\n}", add);
        Assert.Contains("Events = 1 {\ntcpx/est,\ntcpx/fail,\ntcpx/lost,\ntlsx/est,\ntlsx/fail\n}", add);
        Assert.Contains("Events = 2 {\ntcpx/est,\ntcpx/fail,\ntcpx/lost\n}", add);

        // Towards the core: clear MSRP, no fingerprint, no e2ae indication, the MG's core path (the UE lacks CEMA).
        var core = Sdps.Lines(coreOffer);
        Assert.Contains("m=message 40001 TCP/MSRP *", core);
        Assert.Contains("a=path:msrp://127.0.0.1:40001/mg40001;tcp", core);
        Assert.DoesNotContain(core, l => l.StartsWith("a=fingerprint", StringComparison.Ordinal) || l.StartsWith("a=3ge2ae", StringComparison.Ordinal));
        Assert.True(session.Mode!.IsEndToAccessEdge);

        var answer = await session.AnswerFromCoreAsync(Sdps.Core());
        var lines = Sdps.Lines(answer.Sdp!);
        Assert.Contains("m=message 40000 TCP/TLS/MSRP *", lines);
        Assert.Contains("a=fingerprint:" + FakeMgEngine.Fingerprint, lines);
        Assert.Contains("a=path:msrps://127.0.0.1:40000/mg40000;tcp", lines);
        Assert.Contains("a=setup:passive", lines);
        Assert.Contains("a=3ge2ae:applied", lines);
        Assert.Single(lines, l => l.StartsWith("a=fingerprint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task E2e_forwards_tls_untouched_when_both_ends_have_cema()
    {
        var (gateway, session, coreOffer) = await OfferAsync(new MsrpPolicy { TerminateTls = false },
            Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:actpass", "a=fingerprint:" + Sdps.UeFingerprint, "a=msrp-cema"));

        var add = Normalize(gateway.Texts.Single());
        // Contract: e2e = TCP/TLS/MSRP in Local, no fingerprint '$', no path '$', no PSK.
        Assert.Equal(2, CountOf(add, "m=message $ TCP/TLS/MSRP *"));
        Assert.DoesNotContain("$\na=fingerprint", add);
        Assert.DoesNotContain("a=fingerprint:sha-256 $", add);
        Assert.DoesNotContain("a=path:$", add);
        Assert.DoesNotContain("tlsx", add);

        // RFC 6714: with CEMA the middlebox changes c= and m= only; path, fingerprint and msrp-cema pass.
        var core = Sdps.Lines(coreOffer);
        Assert.Contains("c=IN IP4 127.0.0.1", core);
        Assert.Contains("m=message 40001 TCP/TLS/MSRP *", core);
        Assert.Contains("a=path:msrps://192.0.2.10:7654/jshA7weztas;tcp", core);
        Assert.Contains("a=fingerprint:" + Sdps.UeFingerprint, core);
        Assert.Contains("a=msrp-cema", core);
        Assert.True(session.Mode!.IsEndToEnd);

        var answer = await session.AnswerFromCoreAsync(Sdps.Core("TCP/TLS/MSRP", "a=setup:active", "a=fingerprint:" + Sdps.CoreFingerprint, "a=msrp-cema"));
        var lines = Sdps.Lines(answer.Sdp!);
        Assert.Contains("a=fingerprint:" + Sdps.CoreFingerprint, lines);
        Assert.Contains("a=path:msrps://198.51.100.20:12763/kjhd37s2s20w2a;tcp", lines);
        Assert.Contains("a=msrp-cema", lines);
        Assert.Contains("m=message 40000 TCP/TLS/MSRP *", lines);
    }

    [Fact]
    public async Task Psk_puts_identity_and_key_in_local_control_and_no_fingerprint_anywhere()
    {
        var psk = new PreSharedKey("ue-42@ims.example", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var (gateway, _, coreOffer) = await OfferAsync(new MsrpPolicy { PreSharedKey = psk },
            Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:active", "a=msrp-cema"));

        var add = Normalize(gateway.Texts.Single());
        Assert.Contains("LocalControl {\nMode = SendReceive,\ntlsx/pskid=ue-42@ims.example,\ntlsx/psk=0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n}", add);
        Assert.DoesNotContain("a=fingerprint", add);
        Assert.Contains("tlsx/fail", add);
        Assert.Contains("m=message 40001 TCP/MSRP *", Sdps.Lines(coreOffer));
        Assert.DoesNotContain("0102030405", psk.ToString());
    }

    [Fact]
    public async Task Msrp_aware_without_cema_gives_the_mg_path_on_each_side()
    {
        var (gateway, session, coreOffer) = await OfferAsync(MsrpPolicy.Default, Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:active"));

        Assert.Equal(2, CountOf(Normalize(gateway.Texts.Single()), "a=path:$"));
        Assert.Contains("a=path:msrp://127.0.0.1:40001/mg40001;tcp", Sdps.Lines(coreOffer));
        var answer = await session.AnswerFromCoreAsync(Sdps.Core());
        Assert.Contains("a=path:msrp://127.0.0.1:40000/mg40000;tcp", Sdps.Lines(answer.Sdp!));
        Assert.True(session.Mode!.MsrpAware);
    }

    [Fact]
    public async Task Cema_offer_keeps_the_mg_msrp_agnostic_and_passes_paths()
    {
        var (gateway, session, coreOffer) = await OfferAsync(MsrpPolicy.Default, Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:active", "a=msrp-cema"));

        Assert.DoesNotContain("a=path:$", gateway.Texts.Single());
        Assert.Contains("a=path:msrp://192.0.2.10:7654/jshA7weztas;tcp", Sdps.Lines(coreOffer));
        Assert.Contains("a=msrp-cema", Sdps.Lines(coreOffer));
        Assert.False(session.Mode!.MsrpAware);
        Assert.True(session.Mode.Cema);

        // RFC 6714: CEMA needs both ends; an answer without it is shown in the mode.
        Assert.True((await session.AnswerFromCoreAsync(Sdps.Core())).Succeeded);
        Assert.False(session.Mode!.Cema);
    }

    [Fact]
    public async Task A_ue_behind_nat_is_latched()
    {
        var policy = MsrpPolicy.Default with { UeSignallingAddress = IPAddress.Parse("203.0.113.7"), Latching = LatchingRule.WhenBehindNat };
        var (gateway, session, _) = await OfferAsync(policy, Sdps.UeOffer("TCP/MSRP", "10.1.2.3", "a=setup:actpass"));

        var add = Normalize(gateway.Texts.Single());
        Assert.Equal(1, CountOf(add, "ipnapt/latch"));
        Assert.Contains("LocalControl {\nMode = SendReceive,\nipnapt/latch=latch\n}", add);
        Assert.True(session.Mode!.Latching);
        // The UE is never asked to accept a connection.
        Assert.Contains("a=setup:passive", add);
    }

    [Fact]
    public async Task Inactivity_detection_is_requested_on_both_legs_in_milliseconds()
    {
        var (gateway, _, _) = await OfferAsync(MsrpPolicy.Default with { InactivityTimeout = TimeSpan.FromSeconds(30) }, Sdps.UeOffer());

        var add = Normalize(gateway.Texts.Single());
        Assert.Equal(2, CountOf(add, "adid/ipstop {\ndt=30000\n}"));
    }

    [Fact]
    public async Task A_ue_not_behind_nat_is_not_latched()
    {
        var policy = MsrpPolicy.Default with { UeSignallingAddress = IPAddress.Parse("192.0.2.10") };
        var (gateway, session, _) = await OfferAsync(policy, Sdps.UeOffer());

        Assert.DoesNotContain("ipnapt", gateway.Texts.Single());
        Assert.False(session.Mode!.Latching);
    }

    [Fact]
    public async Task Tls_on_the_core_leg_asks_the_mg_for_a_second_fingerprint_and_requires_the_cores()
    {
        var (gateway, session, coreOffer) = await OfferAsync(new MsrpPolicy { TerminateTls = true, CoreTls = true },
            Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:active", "a=fingerprint:" + Sdps.UeFingerprint, "a=msrp-cema"));

        Assert.Equal(2, CountOf(gateway.Texts.Single(), "a=fingerprint:sha-256 $"));
        Assert.Contains("a=fingerprint:" + FakeMgEngine.Fingerprint, Sdps.Lines(coreOffer));
        Assert.DoesNotContain("a=fingerprint:" + Sdps.UeFingerprint, Sdps.Lines(coreOffer));

        var withoutFingerprint = await session.AnswerFromCoreAsync(Sdps.Core("TCP/TLS/MSRP", "a=setup:active", "a=msrp-cema"));
        Assert.False(withoutFingerprint.Succeeded);
        Assert.Equal(488, withoutFingerprint.Failure.SipStatusCode);

        var answer = await session.AnswerFromCoreAsync(Sdps.Core("TCP/TLS/MSRP", "a=setup:active", "a=fingerprint:" + Sdps.CoreFingerprint, "a=msrp-cema"));
        Assert.True(answer.Succeeded, answer.ToString());
        Assert.Contains("a=fingerprint:" + Sdps.CoreFingerprint, Normalize(gateway.LastText));
    }

    /// <summary>RFC 4145 §4.1 with the NAT rule: the MG's access role for each offered role, and what the UE is told.</summary>
    [Theory]
    [InlineData("a=setup:active", "passive")]
    [InlineData("a=setup:actpass", "passive")]
    [InlineData("a=setup:passive", "active")]
    [InlineData("a=setup:holdconn", "holdconn")]
    [InlineData(null, "passive")]
    public async Task Access_setup_role_answers_the_ue_offer(string? offered, string mgRole)
    {
        var (gateway, session, _) = await OfferAsync(MsrpPolicy.Default,
            offered is null ? Sdps.UeOffer() : Sdps.UeOffer("TCP/MSRP", "192.0.2.10", offered));

        var add = Normalize(gateway.Texts.Single());
        Assert.Contains("m=message $ TCP/MSRP *\na=setup:" + mgRole + "\n", add);
        // RFC 4145 §4: no a=setup in an offer means active; the Remote says so explicitly.
        Assert.Contains("a=setup:" + (offered is null ? "active" : offered["a=setup:".Length..]) + "\n}", add);
        var answer = await session.AnswerFromCoreAsync(Sdps.Core());
        Assert.Contains("a=setup:" + mgRole, Sdps.Lines(answer.Sdp!));
    }

    [Fact]
    public async Task Ipv6_ue_gets_an_ipv6_access_termination()
    {
        var offer = Sdps.UeOffer().Replace("IN IP4 192.0.2.10", "IN IP6 2001:db8::10", StringComparison.Ordinal);
        var (gateway, session, _) = await OfferAsync(MsrpPolicy.Default, offer);

        Assert.Contains("c=IN IP6 $\nm=message $ TCP/MSRP *\na=setup:passive", Normalize(gateway.Texts.Single()));
        var answer = await session.AnswerFromCoreAsync(Sdps.Core());
        Assert.Contains("c=IN IP6 ::1", Sdps.Lines(answer.Sdp!));
    }

    [Fact]
    public async Task Reinvite_from_the_ue_modifies_the_access_remote_and_reoffers_the_same_core_port()
    {
        var (gateway, session, first) = await OfferAsync(MsrpPolicy.Default, Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:active"));
        await session.AnswerFromCoreAsync(Sdps.Core());

        var reoffer = await session.OfferFromAccessAsync(Sdps.UeOffer("TCP/MSRP", "192.0.2.99", "a=setup:active", "a=connection:existing"));
        Assert.True(reoffer.Succeeded, reoffer.ToString());
        var modify = Normalize(gateway.LastText);
        Assert.Contains("Modify = msrp/1 {", modify);
        Assert.Contains("c=IN IP4 192.0.2.99", modify);
        Assert.DoesNotContain("Add", modify);
        Assert.Contains("m=message 40001 TCP/MSRP *", Sdps.Lines(reoffer.Sdp));
        Assert.Contains("a=connection:existing", Sdps.Lines(reoffer.Sdp));
        Assert.Contains("m=message 40001 TCP/MSRP *", Sdps.Lines(first));

        var answer = await session.AnswerFromCoreAsync(Sdps.Core("TCP/MSRP", "a=setup:active", "a=connection:existing"));
        Assert.True(answer.Succeeded, answer.ToString());
        Assert.Contains("a=connection:existing", Sdps.Lines(answer.Sdp));
        Assert.Equal(4, gateway.Texts.Count);
    }

    internal static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    internal static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
