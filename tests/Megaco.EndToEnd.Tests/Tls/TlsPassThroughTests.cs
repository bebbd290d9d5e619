using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mg.Tests.Tls;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Tls;

/// <summary>
/// e2e TLS (contract: TCP/TLS/MSRP without a=fingerprint in Local): the UE (openssl s_client) and the core (openssl
/// s_server) hold the keys; the MGC library keeps both fingerprints in the SDP it passes on, and the MG process relays
/// the TLS records untouched.
/// </summary>
public sealed class TlsPassThroughTests
{
    [Fact]
    public async Task The_UE_and_the_core_talk_TLS_end_to_end_through_the_MG_process()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        using var ueCertificate = UeCertificate.Create();
        using var coreCertificate = UeCertificate.Create();
        await using var rig = await MgRig.StartAsync();
        var session = rig.Sessions.CreateSession(MsrpPolicy.Default with { TerminateTls = false });
        await using var events = new EventWatch(session.ReadEventsAsync);

        var toCore = await session.OfferFromAccessAsync(Sdp.WithTls(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ueCertificate.Der), ct);
        Assert.True(toCore.Succeeded, toCore.ToString());
        Assert.Equal(Sdp.Fingerprint(ueCertificate.Der), Sdp.Attribute(toCore.Sdp, "fingerprint"));
        Assert.Contains(" TCP/TLS/MSRP ", toCore.Sdp, StringComparison.Ordinal);

        var corePort = ErlangPeer.FreePort(tcp: true);
        await using var core = OpenSsl.Start("s_server", "-accept", "127.0.0.1:" + corePort, "-cert", coreCertificate.CertPath,
            "-key", coreCertificate.KeyPath, "-naccept", "1", "-quiet");
        var toUe = await session.AnswerFromCoreAsync(Sdp.WithTls(Sdp.Core(corePort, "a=setup:passive", "a=msrp-cema"), coreCertificate.Der), ct);
        Assert.True(toUe.Succeeded, toUe.ToString());
        Assert.Equal(Sdp.Fingerprint(coreCertificate.Der), Sdp.Attribute(toUe.Sdp, "fingerprint"));
        Assert.True(session.Mode!.IsEndToEnd, session.Mode.ToString());

        await using var ue = OpenSsl.Start("s_client", "-connect", "127.0.0.1:" + Sdp.Port(toUe.Sdp), "-cert", ueCertificate.CertPath,
            "-key", ueCertificate.KeyPath, "-quiet");
        const string fromUe = "MSRP over TLS from the UE\n";
        const string fromCore = "MSRP over TLS from the core\n";
        await ue.Stdin.WriteAsync(Encoding.ASCII.GetBytes(fromUe), ct);
        await ue.Stdin.FlushAsync(ct);
        Assert.Equal(fromUe, Encoding.ASCII.GetString(await core.ReadStdout(fromUe.Length, ct)));
        await core.Stdin.WriteAsync(Encoding.ASCII.GetBytes(fromCore), ct);
        await core.Stdin.FlushAsync(ct);
        Assert.Equal(fromCore, Encoding.ASCII.GetString(await ue.ReadStdout(fromCore.Length, ct)));

        await events.WaitForAsync(e => e is { Leg: MsrpLeg.Access, Kind: MsrpEventKind.ConnectionEstablished }, "access tcpx/est", TimeSpan.FromSeconds(10));
        var released = await session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        var access = Assert.Single(released.Statistics, s => s.Termination == session.AccessTermination);
        var coreLeg = Assert.Single(released.Statistics, s => s.Termination == session.CoreTermination);
        // The MG relayed records, handshake included: more than the clear text, and the same count on both legs.
        Assert.True(access.OctetsReceived > (ulong)fromUe.Length, $"{access.OctetsReceived} octets from the UE");
        Assert.Equal(access.OctetsReceived, coreLeg.OctetsSent);
        Assert.Equal(access.OctetsSent, coreLeg.OctetsReceived);
        Assert.DoesNotContain(events.Seen, e => e.Kind is MsrpEventKind.TlsEstablished or MsrpEventKind.TlsFailed);
    }
}
