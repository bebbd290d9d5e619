using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Sessions;

/// <summary>The MG process's Notify about a session's bearers, read from the MGC library's <c>ReadEventsAsync</c>.</summary>
public sealed class EventTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_UE_that_resets_its_connection_is_reported_as_lost()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        using var setup = await SessionSetup.OriginatingAsync(rig, MsrpPolicy.Default, ["a=setup:actpass", "a=msrp-cema"], ["a=msrp-cema"], ct);
        await using var events = new EventWatch(setup.Session.ReadEventsAsync);
        var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.1", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        await events.WaitForAsync(e => e is { Leg: MsrpLeg.Core, Kind: MsrpEventKind.ConnectionEstablished }, "core tcpx/est", EventTimeout, () => rig.Process.Output);

        Peers.Reset(ue);
        var lost = await events.WaitForAsync(e => e is { Kind: MsrpEventKind.ConnectionLost }, "tcpx/lost", EventTimeout, () => rig.Process.Output);
        Assert.Equal(MsrpLeg.Access, lost.Leg);
        Assert.Equal(setup.Session.AccessTermination, lost.Termination);
        Assert.True((await setup.Session.ReleaseAsync(ct)).Succeeded);
    }

    [Fact]
    public async Task A_silent_session_is_reported_inactive_after_the_detection_time()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        var policy = MsrpPolicy.Default with { InactivityTimeout = TimeSpan.FromMilliseconds(800) };
        using var setup = await SessionSetup.OriginatingAsync(rig, policy, ["a=setup:actpass", "a=msrp-cema"], ["a=msrp-cema"], ct);
        await using var events = new EventWatch(setup.Session.ReadEventsAsync);
        using var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.1", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        await ue.SendAsync("one message, then silence"u8.ToArray(), ct);
        await LatchingTests.ReadAsync(core, 25, ct);

        var inactive = await events.WaitForAsync(e => e is { Kind: MsrpEventKind.Inactivity }, "adid/ipstop", EventTimeout, () => rig.Process.Output);
        Assert.Contains(inactive.Termination, new[] { setup.Session.AccessTermination, setup.Session.CoreTermination });
        Assert.True((await setup.Session.ReleaseAsync(ct)).Succeeded);
    }
}
