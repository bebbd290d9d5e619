using Megaco.Mg.DataPath;
using Microsoft.Extensions.Time.Testing;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

/// <summary>The relays' shared timer queues, on a fake clock of their own so no other test's relays are counted.</summary>
public sealed class RelayTimersTests
{
    [Fact]
    public async Task RelaysWithOnePeriodShareOneQueueAndTheQueueGoesWhenTheyEnd()
    {
        var clock = new FakeTimeProvider();
        var timers = RelayTimers.For(clock);
        var silent = new List<RelaySide>();
        var options = new RelayOptions
        {
            Limits = new MgLimits { InactivityTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.Zero },
            TimeProvider = clock,
            OnInactivity = side =>
            {
                lock (silent)
                {
                    silent.Add(side);
                }
            },
        };
        var pool = Pool();
        var relays = new List<Peers>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                relays.Add(await OpenRelay(pool, options));
            }
            Assert.Equal(1, timers.QueueCount);
            Assert.Equal(3, timers.Count);

            clock.Advance(TimeSpan.FromMilliseconds(750));
            Assert.Empty(silent);
            clock.Advance(TimeSpan.FromMilliseconds(250));
            lock (silent)
            {
                Assert.Equal(3, silent.Count(side => side == RelaySide.A));
                Assert.Equal(3, silent.Count(side => side == RelaySide.B));
            }
        }
        finally
        {
            foreach (var peers in relays)
            {
                await peers.DisposeAsync();
            }
        }

        Assert.Equal(0, timers.Count);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, timers.QueueCount);
    }

    [Fact]
    public async Task EachPeriodHasItsQueueAndARelayIsCheckedOnItsOwn()
    {
        var clock = new FakeTimeProvider();
        var timers = RelayTimers.For(clock);
        var pool = Pool();
        var short1 = new RelayOptions { Limits = new MgLimits { IdleTimeout = TimeSpan.FromSeconds(1) }, TimeProvider = clock };
        var long1 = new RelayOptions { Limits = new MgLimits { IdleTimeout = TimeSpan.FromSeconds(10) }, TimeProvider = clock };
        await using var quick = await OpenRelay(pool, short1);
        await using var slow = await OpenRelay(pool, long1);
        Assert.Equal(2, timers.QueueCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RelayEndReason.IdleTimeout, (await Within(quick.Relay.Completion)).Reason);
        Assert.False(slow.Relay.Completion.IsCompleted);
        Assert.Equal(1, timers.Count);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(RelayEndReason.IdleTimeout, (await Within(slow.Relay.Completion)).Reason);
        Assert.Equal(0, timers.Count);
    }
}
