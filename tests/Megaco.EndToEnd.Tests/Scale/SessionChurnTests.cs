using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Results;

namespace Megaco.EndToEnd.Tests.Scale;

/// <summary>
/// Many sessions through the MGC library against the MG process, and the MG's bearer ports running out: nothing may
/// be left behind (contexts audited over H.248, the MG's sockets read from /proc).
/// </summary>
public sealed class SessionChurnTests
{
    private const int Sessions = 1000;
    private const int Concurrent = 8;

    [Fact]
    public async Task A_thousand_sessions_set_up_and_released_leave_no_context_and_no_socket()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync(ports: 4 * Concurrent);
        var baseline = rig.Process.SocketCount();
        var next = 0;
        var failures = new List<string>();
        long octets = 0;

        // Each session: the UE offers, the core answers active (it would connect to the MG), release; both MG legs listen.
        var workers = Enumerable.Range(0, Concurrent).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Sessions)
            {
                var session = rig.Sessions.CreateSession();
                var toCore = await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct);
                var toUe = toCore.Succeeded ? await session.AnswerFromCoreAsync(Sdp.Core(7000, "a=setup:active", "a=msrp-cema"), ct) : toCore;
                var released = await session.ReleaseAsync(ct);
                if (!toUe.Succeeded || !released.Succeeded || released.Statistics.Count != 2)
                {
                    lock (failures)
                    {
                        failures.Add(toUe.Failure?.ToString() ?? released.Failure?.ToString() ?? released.Statistics.Count + " statistics");
                    }
                }
                Interlocked.Add(ref octets, released.Statistics.Sum(s => (long)(s.OctetsSent ?? 0) + (long)(s.OctetsReceived ?? 0)));
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        Assert.Equal(0, octets);
        Assert.Equal(0, rig.Sessions.ActiveContexts);
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
        await rig.EventuallyAsync(() => rig.Process.SocketCount() == baseline,
            $"the MG's sockets back to {baseline} (now {rig.Process.SocketCount()})", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task With_five_bearer_ports_the_fifth_session_is_refused_with_503_and_leaves_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        // An offer takes two ports (the access leg listens for the UE; the core leg offers actpass, so it must offer a
        // port too) and gives one back when the core answers passive: four sessions hold four ports, and the fifth
        // offer finds one free where it needs two.
        await using var rig = await MgRig.StartAsync(ports: 5);
        using var core = Peers.Listen();
        var baseline = rig.Process.SocketCount();

        // Four sessions, each holding one port: the access leg listens for its UE; the core leg, answered passive by
        // the core, connects out and gives its port back.
        var held = new List<Megaco.Mgc.Sessions.MsrpSession>();
        for (var i = 0; i < 4; i++)
        {
            var session = rig.Sessions.CreateSession();
            var toCore = await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct);
            Assert.True(toCore.Succeeded, $"session {i + 1}: {toCore}");
            var toUe = await session.AnswerFromCoreAsync(Sdp.Core(Peers.PortOf(core), "a=setup:passive", "a=msrp-cema"), ct);
            Assert.True(toUe.Succeeded, $"session {i + 1}: {toUe}");
            held.Add(session);
        }
        Assert.Equal(4, await MgAudit.ContextCountAsync(rig.Mg, ct));
        var before = rig.Process.SocketCount();

        var fifth = rig.Sessions.CreateSession();
        var refused = await fifth.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct);
        Assert.False(refused.Succeeded);
        Assert.Equal(MgcFailureKind.GatewayResourcesExhausted, refused.Failure.Kind);
        Assert.Equal(503, refused.Failure.SipStatusCode);
        Assert.Equal((ushort)510, refused.Failure.ErrorCode);
        // No half-made context and no extra socket on the MG.
        Assert.Equal(4, await MgAudit.ContextCountAsync(rig.Mg, ct));
        Assert.Equal(before, rig.Process.SocketCount());

        foreach (var session in held)
        {
            Assert.True((await session.ReleaseAsync(ct)).Succeeded);
        }
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
        await rig.EventuallyAsync(() => rig.Process.SocketCount() == baseline,
            $"the MG's sockets back to {baseline} (now {rig.Process.SocketCount()})", TimeSpan.FromSeconds(10));

        // The ports are back: a new session gets through.
        var again = rig.Sessions.CreateSession();
        Assert.True((await again.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", "a=setup:actpass", "a=msrp-cema"), ct)).Succeeded);
        Assert.True((await again.ReleaseAsync(ct)).Succeeded);
    }
}
