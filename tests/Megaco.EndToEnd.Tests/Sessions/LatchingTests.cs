using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Sessions;

/// <summary>
/// NAT latching (H.248.37 <c>ipnapt/latch</c>) decided by the MGC library and done by the MG process: the UE's SDP says
/// 127.0.0.1, its SIP came from elsewhere, and it connects from 127.0.0.2 (its NAT's address).
/// </summary>
public sealed class LatchingTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_MG_latches_onto_the_UE_behind_NAT_and_refuses_anyone_else()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        var policy = MsrpPolicy.Default with { UeSignallingAddress = System.Net.IPAddress.Parse("127.0.0.9") };
        using var setup = await SessionSetup.OriginatingAsync(rig, policy, ["a=setup:actpass", "a=msrp-cema"], ["a=msrp-cema"], ct);
        await using var events = new EventWatch(setup.Session.ReadEventsAsync);
        Assert.True(setup.Session.Mode!.Latching);

        using var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.2", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        await ue.SendAsync("from the UE"u8.ToArray(), ct);
        Assert.Equal("from the UE", await Peers.ReadAsync(core, 11, ct));
        await core.SendAsync("from the core"u8.ToArray(), ct);
        Assert.Equal("from the core", await Peers.ReadAsync(ue, 13, ct));

        // The MGC learns the latched address: tcpx/est on the access leg with ra = the UE's real source.
        var established = await events.WaitForAsync(e => e is { Leg: MsrpLeg.Access, Kind: MsrpEventKind.ConnectionEstablished },
            "access tcpx/est", EventTimeout, () => rig.Process.Output);
        var ueSource = (System.Net.IPEndPoint)ue.LocalEndPoint!;
        Assert.Equal($"127.0.0.2:{ueSource.Port}", established.Detail);

        // Someone else (127.0.0.3) on the same port is refused; nothing of it reaches the core, and the UE still relays.
        Assert.False(await StrangerGetsThroughAsync(setup.AccessPort, ct), "a second connection from 127.0.0.3 was served");
        await ue.SendAsync("still here"u8.ToArray(), ct);
        Assert.Equal("still here", await Peers.ReadAsync(core, 10, ct));

        var released = await setup.Session.ReleaseAsync(ct);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        var access = Assert.Single(released.Statistics, s => s.Termination == setup.Session.AccessTermination);
        Assert.Equal(((ulong?)21, (ulong?)13), (access.OctetsReceived, access.OctetsSent));
    }

    [Fact]
    public async Task Without_latching_only_the_address_of_the_SDP_may_connect()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        using var setup = await SessionSetup.OriginatingAsync(rig, MsrpPolicy.Default with { Latching = LatchingRule.Never },
            ["a=setup:actpass", "a=msrp-cema"], ["a=msrp-cema"], ct);
        Assert.False(setup.Session.Mode!.Latching);

        Assert.False(await StrangerGetsThroughAsync(setup.AccessPort, ct, from: "127.0.0.2"), "127.0.0.2 was served without latching");
        using var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.1", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        await ue.SendAsync("hello"u8.ToArray(), ct);
        Assert.Equal("hello", await Peers.ReadAsync(core, 5, ct));
        Assert.True((await setup.Session.ReleaseAsync(ct)).Succeeded);
    }

    /// <summary>Connects from <paramref name="from"/> and sends; true if the MG kept the connection open (served it).</summary>
    private static async Task<bool> StrangerGetsThroughAsync(int port, CancellationToken ct, string from = "127.0.0.3")
    {
        Socket stranger;
        try
        {
            stranger = await Peers.ConnectAsync(port, from, ct);
        }
        catch (SocketException)
        {
            return false;
        }
        using (stranger)
        {
            try
            {
                await stranger.SendAsync("intruder"u8.ToArray(), ct);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(5));
                // A refused connection is reset (or closed) by the MG: the read ends; a served one stays open.
                return await stranger.ReceiveAsync(new byte[16], SocketFlags.None, wait.Token) > 0;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return true;
            }
        }
    }
}
