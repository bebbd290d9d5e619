using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Events;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;

namespace Megaco.EndToEnd.Tests.Association;

/// <summary>
/// The association with the MG as a real process (H.248.1 §11): SIGTERM makes it say ServiceChange Graceful before it
/// exits, and a killed MG started again registers with Restart, which the MGC library passes to the owner of every
/// session that was on it.
/// </summary>
public sealed class LifecycleTests
{
    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task At_SIGTERM_the_MG_process_says_Graceful_and_the_session_owner_hears_the_MG_is_gone(string control)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync(control);
        var session = rig.Sessions.CreateSession();
        Assert.True((await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct)).Succeeded);
        await using var events = new EventWatch(session.ReadEventsAsync);

        rig.Process.Terminate();
        await rig.EventuallyAsync(() => rig.Mgc.Changes.Any(c => c.StartsWith("lost ", StringComparison.Ordinal)), "the MGC hears the MG leave", TimeSpan.FromSeconds(20));
        Assert.Contains("Graceful", rig.Mgc.Changes.Single(c => c.StartsWith("lost ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(RegisteredMgState.Lost, rig.Mg.State);
        Assert.True(await rig.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the MG did not exit after SIGTERM: " + rig.Process.Output);
        Assert.True(rig.Process.ExitCode == 0, $"exit status {rig.Process.ExitCode}: {rig.Process.Output}");
        await events.WaitForAsync(e => e.Kind == MsrpEventKind.GatewayLost, "GatewayLost", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_killed_MG_started_again_registers_with_Restart_and_the_session_owner_hears_its_context_is_gone()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync();
        var session = rig.Sessions.CreateSession();
        Assert.True((await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct)).Succeeded);
        Assert.Equal(1, await MgAudit.ContextCountAsync(rig.Mg, ct));
        await using var events = new EventWatch(session.ReadEventsAsync);

        // SIGKILL: no goodbye. The same control port and options: to the MGC it is the same MG (same mId), rebooted.
        await rig.RestartProcessAsync();
        await events.WaitForAsync(e => e.Kind == MsrpEventKind.GatewayLost, "GatewayLost", TimeSpan.FromSeconds(10));
        Assert.Equal(["registered Restart", "restarted", "registered Restart"], rig.Mgc.Changes);
        Assert.Same(rig.Mg, Assert.Single(rig.Mgc.Registry.Mgs));
        Assert.Equal(2, rig.Mg.Registrations);
        Assert.Equal(ServiceChangeMethod.Restart, rig.Mg.Method);
        Assert.Equal(0, rig.Sessions.ActiveContexts);

        // The restarted MG has no context, and serves new sessions through the same channel.
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
        var next = rig.Sessions.CreateSession();
        Assert.True((await next.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct)).Succeeded);
        Assert.True((await next.ReleaseAsync(ct)).Succeeded);
    }
}
