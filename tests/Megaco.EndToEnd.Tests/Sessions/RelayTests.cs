using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Sessions;

/// <summary>
/// Our MGC library (<see cref="MsrpSessionController"/> over <c>RegisteredMgChannel</c> and an <c>MgcRegistry</c>) against
/// our MG process, with a real UE and a real core on TCP: an originating session (OfferFromAccess, AnswerFromCore), the UE
/// connecting to the access address of the SDP answer and the MG to the core (or the core to the MG, per setup roles),
/// 100 MB each way through the MG with equal SHA-256, release statistics equal to the bytes, and no bearer socket left.
/// </summary>
public sealed class RelayTests
{
    private const long UeToCore = 100L * 1024 * 1024;
    private const long CoreToUe = 100L * 1024 * 1024 + 4097;

    [Theory]
    [InlineData("udp", "a=setup:passive")]
    [InlineData("udp", "a=setup:active")]
    [InlineData("tcp", "a=setup:passive")]
    public async Task A_session_relays_100_MB_each_way_and_its_release_counts_them(string control, string coreSetup)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync(control);
        var baseline = rig.Process.SocketCount();
        using var coreListener = Peers.Listen();
        var corePort = Peers.PortOf(coreListener);

        var session = rig.Sessions.CreateSession();
        await using var events = new EventWatch(session.ReadEventsAsync);
        var toCore = await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct);
        Assert.True(toCore.Succeeded, toCore.ToString());
        Assert.Equal("actpass", Sdp.Attribute(toCore.Sdp, "setup"));
        var toUe = await session.AnswerFromCoreAsync(Sdp.Core(corePort, coreSetup, "a=msrp-cema"), ct);
        Assert.True(toUe.Succeeded, toUe.ToString());
        // The MG answers the UE's actpass with passive: a UE never has to accept a connection (RFC 4145 §4.1).
        Assert.Equal("passive", Sdp.Attribute(toUe.Sdp, "setup"));
        Assert.Contains("c=IN IP4 127.0.0.1", Sdp.Lines(toUe.Sdp));
        Assert.InRange(Sdp.Port(toUe.Sdp), rig.FirstPort, rig.LastPort);

        using var ue = await Peers.ConnectAsync(Sdp.Port(toUe.Sdp), "127.0.0.1", ct);
        Socket core;
        if (coreSetup == "a=setup:active")
        {
            core = await Peers.ConnectAsync(Sdp.Port(toCore.Sdp), "127.0.0.1", ct);
        }
        else
        {
            core = await coreListener.AcceptAsync(ct);
        }
        using (core)
        {
            await events.WaitForAsync(e => e is { Leg: MsrpLeg.Access, Kind: MsrpEventKind.ConnectionEstablished }, "access tcpx/est", TimeSpan.FromSeconds(10));
            await events.WaitForAsync(e => e is { Leg: MsrpLeg.Core, Kind: MsrpEventKind.ConnectionEstablished }, "core tcpx/est", TimeSpan.FromSeconds(10));
            // The MG holds both bearer connections now (its listeners are closed once connected): the count that must
            // come back to the baseline after release has really moved.
            Assert.True(rig.Process.SocketCount() >= baseline + 2, $"{rig.Process.SocketCount()} sockets with two bearers up, {baseline} before");

            var (up, down) = await ByteStreams.BothWaysAsync(ue, core, UeToCore, CoreToUe, ct);
            Assert.Equal((UeToCore, CoreToUe), (up.ReceivedBytes, down.ReceivedBytes));
            Assert.Equal(up.SentHash, up.ReceivedHash);
            Assert.Equal(down.SentHash, down.ReceivedHash);
        }

        var released = await session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        var access = Assert.Single(released.Statistics, s => s.Termination == session.AccessTermination);
        var coreLeg = Assert.Single(released.Statistics, s => s.Termination == session.CoreTermination);
        // nt/or is what the MG received on a termination, nt/os what it sent there (H.248.1 Annex E.11).
        Assert.Equal(((ulong?)UeToCore, (ulong?)CoreToUe), (access.OctetsReceived, access.OctetsSent));
        Assert.Equal(((ulong?)CoreToUe, (ulong?)UeToCore), (coreLeg.OctetsReceived, coreLeg.OctetsSent));

        await rig.EventuallyAsync(() => rig.Process.SocketCount() == baseline,
            $"the MG's sockets back to the {baseline} it had before the session (now {rig.Process.SocketCount()})", TimeSpan.FromSeconds(10));
    }
}
