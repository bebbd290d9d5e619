using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Transactions;

public sealed class RetransmitScheduleTests
{
    [Fact]
    public void DefaultFollowsErlangsRequestTimerCappedAt30Seconds()
    {
        var schedule = RetransmitSchedule.Default;

        Assert.Equal([7, 14, 28, 30], schedule.Waits().Select(w => w.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(79), schedule.TotalTime);
    }

    [Fact]
    public void IncrementIsAddedAfterTheFactor()
    {
        var schedule = new RetransmitSchedule(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100), 2);

        Assert.Equal([1, 2.5, 4.75], schedule.Waits().Select(w => w.TotalSeconds));
    }

    [Fact]
    public void ConstantTimerWithNoRetries()
    {
        var schedule = new RetransmitSchedule(TimeSpan.FromSeconds(3), 1, TimeSpan.Zero, TimeSpan.FromSeconds(3), 0);

        Assert.Equal([TimeSpan.FromSeconds(3)], schedule.Waits());
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.Next(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void RefusesNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmitSchedule(TimeSpan.Zero, 2, TimeSpan.Zero, TimeSpan.FromSeconds(1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmitSchedule(TimeSpan.FromSeconds(1), 0.5, TimeSpan.Zero, TimeSpan.FromSeconds(1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmitSchedule(TimeSpan.FromSeconds(2), 2, TimeSpan.Zero, TimeSpan.FromSeconds(1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmitSchedule(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero, TimeSpan.FromSeconds(1), -1));
    }

    [Fact]
    public void IsAValue() =>
        Assert.Equal(RetransmitSchedule.Default, RetransmitSchedule.Default with { });
}
