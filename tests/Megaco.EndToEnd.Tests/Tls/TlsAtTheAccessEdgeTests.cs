using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mg.Tests.Tls;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Tls;

/// <summary>
/// e2ae (TS 33.328): the UE's TLS is terminated by the MG process, asked by the MGC library; the UE is openssl s_client,
/// the core a clear TCP peer. By certificate (the MG checks the UE's certificate against the a=fingerprint of its offer
/// and presents its own, whose fingerprint the MGC puts in the answer) and by pre-shared key (TLS 1.2 and 1.3).
/// </summary>
public sealed class TlsAtTheAccessEdgeTests
{
    private const string PskIdentity = "ue@ims.example";
    private static readonly byte[] PskKey = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    [Fact]
    public async Task By_certificate_the_MG_terminates_the_UEs_TLS_and_relays_clear_MSRP_to_the_core()
    {
        using var ueCertificate = UeCertificate.Create();
        var policy = MsrpPolicy.Default with { TerminateTls = true };
        var offer = Sdp.WithTls(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ueCertificate.Der);
        await RunAsync(policy, offer, ["-cert", ueCertificate.CertPath, "-key", ueCertificate.KeyPath], expectMgFingerprint: true);
    }

    [Theory]
    [InlineData("-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305")]
    [InlineData("-tls1_3", null)]
    public async Task By_pre_shared_key_the_MG_terminates_the_UEs_TLS_and_relays_clear_MSRP_to_the_core(string version, string? cipher)
    {
        var policy = MsrpPolicy.Default with { TerminateTls = true, PreSharedKey = new PreSharedKey(PskIdentity, PskKey) };
        var offer = Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema")
            .Replace(" TCP/MSRP ", " TCP/TLS/MSRP ", StringComparison.Ordinal).Replace("msrp://", "msrps://", StringComparison.Ordinal);
        string[] arguments = [version, "-psk", Convert.ToHexString(PskKey), "-psk_identity", PskIdentity, .. cipher is null ? Array.Empty<string>() : ["-cipher", cipher]];
        await RunAsync(policy, offer, arguments, expectMgFingerprint: false);
    }

    [Fact]
    public async Task A_UE_whose_certificate_is_not_the_one_of_its_offer_is_refused_with_tlsx_fail()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        using var offered = UeCertificate.Create();
        using var presented = UeCertificate.Create();
        await using var rig = await MgRig.StartAsync();
        using var coreListener = Peers.Listen();
        var session = rig.Sessions.CreateSession(MsrpPolicy.Default with { TerminateTls = true });
        await using var events = new EventWatch(session.ReadEventsAsync);
        Assert.True((await session.OfferFromAccessAsync(Sdp.WithTls(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), offered.Der), ct)).Succeeded);
        var toUe = await session.AnswerFromCoreAsync(Sdp.Core(Peers.PortOf(coreListener), "a=setup:passive", "a=msrp-cema"), ct);
        Assert.True(toUe.Succeeded, toUe.ToString());

        await using var ue = OpenSsl.Start("s_client", "-connect", "127.0.0.1:" + Sdp.Port(toUe.Sdp), "-quiet", "-cert", presented.CertPath, "-key", presented.KeyPath);
        await ue.Stdin.WriteAsync("never relayed\n"u8.ToArray(), ct);
        await ue.Stdin.FlushAsync(ct);
        var failed = await events.WaitForAsync(e => e.Kind is MsrpEventKind.TlsEstablished or MsrpEventKind.TlsFailed,
            "tlsx/fail", TimeSpan.FromSeconds(20), () => "s_client: " + ue.Stderr + "\nMG: " + rig.Process.Output);
        Assert.Equal((MsrpEventKind.TlsFailed, MsrpLeg.Access), (failed.Kind, failed.Leg));
        var released = await session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        Assert.All(released.Statistics, s => Assert.Equal((ulong?)0, s.OctetsSent));
    }

    private static async Task RunAsync(MsrpPolicy policy, string offer, string[] clientArguments, bool expectMgFingerprint)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        using var coreListener = Peers.Listen();
        var session = rig.Sessions.CreateSession(policy);
        await using var events = new EventWatch(session.ReadEventsAsync);

        var toCore = await session.OfferFromAccessAsync(offer, ct);
        Assert.True(toCore.Succeeded, toCore.ToString());
        Assert.True(session.Mode!.IsEndToAccessEdge, session.Mode.ToString());
        // The core leg is clear: no TLS, no fingerprint.
        Assert.Contains(" TCP/MSRP ", toCore.Sdp, StringComparison.Ordinal);
        Assert.Null(Sdp.Attribute(toCore.Sdp, "fingerprint"));
        var toUe = await session.AnswerFromCoreAsync(Sdp.Core(Peers.PortOf(coreListener), "a=setup:passive", "a=msrp-cema"), ct);
        Assert.True(toUe.Succeeded, toUe.ToString());
        Assert.Contains(" TCP/TLS/MSRP ", toUe.Sdp, StringComparison.Ordinal);
        Assert.Equal(expectMgFingerprint, Sdp.Attribute(toUe.Sdp, "fingerprint") is { } fingerprint && fingerprint.StartsWith("sha-256 ", StringComparison.Ordinal));

        await using var ue = OpenSsl.Start(["s_client", "-connect", "127.0.0.1:" + Sdp.Port(toUe.Sdp), "-quiet", .. clientArguments]);
        var established = await events.WaitForAsync(e => e.Kind is MsrpEventKind.TlsEstablished or MsrpEventKind.TlsFailed,
            "tlsx/est", TimeSpan.FromSeconds(20), () => "s_client: " + ue.Stderr + "\nMG: " + rig.Process.Output);
        Assert.True(established is { Kind: MsrpEventKind.TlsEstablished, Leg: MsrpLeg.Access }, established + "\ns_client: " + ue.Stderr);
        using var core = await coreListener.AcceptAsync(ct);

        const string fromUe = "MSRP decrypted at the access edge\n";
        const string fromCore = "MSRP encrypted towards the UE\n";
        await ue.Stdin.WriteAsync(Encoding.ASCII.GetBytes(fromUe), ct);
        await ue.Stdin.FlushAsync(ct);
        Assert.Equal(fromUe, await Peers.ReadAsync(core, fromUe.Length, ct));
        await core.SendAsync(Encoding.ASCII.GetBytes(fromCore), ct);
        Assert.Equal(fromCore, Encoding.ASCII.GetString(await ue.ReadStdout(fromCore.Length, ct)));

        var released = await session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        var coreLeg = Assert.Single(released.Statistics, s => s.Termination == session.CoreTermination);
        // The core leg carried the clear bytes only.
        Assert.Equal(((ulong?)fromUe.Length, (ulong?)fromCore.Length), (coreLeg.OctetsSent, coreLeg.OctetsReceived));
    }
}
