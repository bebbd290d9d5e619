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

    /// <summary>Under the shipped (public) profiles <c>adid/ipstop</c> is provisional and never sent (profiles/README.md): the MG
    /// detects the silence and logs it; the MGC hears nothing. Under an operator's private profile it is sent.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_silent_session_is_reported_inactive_after_the_detection_time_where_the_profile_lets_the_MG_say_so(bool privateProfile)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        using var profiles = new PrivateProfiles("iq");
        await using var rig = privateProfile
            ? await MgRig.StartAsync(more: "--Profile:Directory=" + profiles.Directory)
            : await MgRig.StartAsync();
        var policy = MsrpPolicy.Default with { InactivityTimeout = TimeSpan.FromMilliseconds(800) };
        using var setup = await SessionSetup.OriginatingAsync(rig, policy, ["a=setup:actpass", "a=msrp-cema"], ["a=msrp-cema"], ct);
        await using var events = new EventWatch(setup.Session.ReadEventsAsync);
        using var ue = await Peers.ConnectAsync(setup.AccessPort, "127.0.0.1", ct);
        using var core = await setup.CoreListener.AcceptAsync(ct);
        await ue.SendAsync("one message, then silence"u8.ToArray(), ct);
        await Peers.ReadAsync(core, 25, ct);

        if (privateProfile)
        {
            var inactive = await events.WaitForAsync(e => e is { Kind: MsrpEventKind.Inactivity }, "adid/ipstop", EventTimeout, () => rig.Process.Output);
            Assert.Contains(inactive.Termination, new[] { setup.Session.AccessTermination, setup.Session.CoreTermination });
        }
        else
        {
            await rig.EventuallyAsync(() => rig.Process.Output.Contains("Event adid/ipstop on msrp/", StringComparison.Ordinal),
                "the MG's log of the inactivity it may not send", EventTimeout);
            Assert.DoesNotContain(events.Seen, e => e.Kind == MsrpEventKind.Inactivity);
        }
        Assert.True((await setup.Session.ReleaseAsync(ct)).Succeeded);
    }
}
