using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Sessions;

/// <summary>
/// MSRP-aware (B2BUA) mode chosen by the MGC library because the UE's offer lacks <c>a=msrp-cema</c> (RFC 6714), done by
/// the MG process: an MSRP SEND from the UE reaches the core with To-Path and From-Path rewritten per the SDP the MGC
/// produced, and the core's 200 OK reaches the UE rewritten back (contract: MSRP-aware; RFC 4975 §7.1, §7.2).
/// </summary>
public sealed class MsrpAwareTests
{
    [Fact]
    public async Task A_SEND_and_its_200_OK_cross_the_MG_with_their_paths_rewritten_per_the_SDP()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        using var setup = await SessionSetup.OriginatingAsync(rig, MsrpPolicy.Default, ["a=setup:actpass"], [], ct);
        Assert.True(setup.Session.Mode!.MsrpAware);

        // The MG's own MSRP URIs, one per leg, as the MGC put them in the SDP it produced.
        var mgCorePath = Sdp.Attribute(setup.ToCore, "path");
        var mgAccessPath = Sdp.Attribute(setup.ToUe, "path");
        Assert.NotNull(mgCorePath);
        Assert.NotNull(mgAccessPath);
        Assert.StartsWith($"msrp://127.0.0.1:{Sdp.Port(setup.ToCore)}/", mgCorePath, StringComparison.Ordinal);
        Assert.StartsWith($"msrp://127.0.0.1:{setup.AccessPort}/", mgAccessPath, StringComparison.Ordinal);
        var corePath = Sdp.CorePath(setup.CorePort);

        using var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.1", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        var send = Send(mgAccessPath!, Sdp.UePath);
        await ue.SendAsync(Encoding.ASCII.GetBytes(send), ct);
        var expectedAtCore = Send(corePath, mgCorePath!);
        Assert.Equal(expectedAtCore, await Peers.ReadAsync(core, expectedAtCore.Length, ct));

        await core.SendAsync(Encoding.ASCII.GetBytes(Ok(mgCorePath!, corePath)), ct);
        var expectedAtUe = Ok(Sdp.UePath, mgAccessPath!);
        Assert.Equal(expectedAtUe, await Peers.ReadAsync(ue, expectedAtUe.Length, ct));

        var released = await setup.Session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        var access = Assert.Single(released.Statistics, s => s.Termination == setup.Session.AccessTermination);
        Assert.Equal(((ulong?)send.Length, (ulong?)expectedAtUe.Length), (access.OctetsReceived, access.OctetsSent));
    }

    private static string Send(string toPath, string fromPath) =>
        "MSRP a786hjs2 SEND\r\n" +
        "To-Path: " + toPath + "\r\n" +
        "From-Path: " + fromPath + "\r\n" +
        "Message-ID: 87652491\r\n" +
        "Byte-Range: 1-25/25\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "Hey Bob, are you there?\r\n" +
        "\r\n-------a786hjs2$\r\n";

    private static string Ok(string toPath, string fromPath) =>
        "MSRP a786hjs2 200 OK\r\n" +
        "To-Path: " + toPath + "\r\n" +
        "From-Path: " + fromPath + "\r\n" +
        "-------a786hjs2$\r\n";
}
