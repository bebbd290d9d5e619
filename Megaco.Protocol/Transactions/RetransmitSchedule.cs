namespace Megaco.Protocol.Transactions;

/// <summary>
/// When an unanswered request is sent again (H.248.1 Annex D.1.2: exponential back-off, the spec fixes no
/// values). Pure: the waits follow from the record alone, like Erlang/OTP megaco's incremental timer
/// (<c>megaco_timer.erl</c>: wait_for, factor, incr, max_retries), where each wait is
/// <c>previous × Factor + Increment</c>, capped at <see cref="MaxWait"/>.
/// </summary>
/// <param name="InitialWait">Wait before the first retransmission.</param>
/// <param name="Factor">Multiplier applied to each wait (1 for a constant timer).</param>
/// <param name="Increment">Added to each wait after the multiplication.</param>
/// <param name="MaxWait">No single wait exceeds this.</param>
/// <param name="MaxRetries">Retransmissions before the request times out; the wait after the last one still runs.</param>
public sealed record RetransmitSchedule(TimeSpan InitialWait, double Factor, TimeSpan Increment, TimeSpan MaxWait, int MaxRetries)
{
    /// <summary>
    /// Erlang/OTP megaco's <c>request_timer</c>: first wait 7 s, factor 2, increment 0. Erlang retries
    /// without limit; here the waits stop growing at 30 s (half its 60 s <c>long_request_timer</c>) and three
    /// retransmissions are sent, so an unreachable peer shows as a timeout after 7 + 14 + 28 + 30 = 79 s.
    /// </summary>
    public static RetransmitSchedule Default { get; } = new(TimeSpan.FromSeconds(7), 2, TimeSpan.Zero, TimeSpan.FromSeconds(30), 3);

    public TimeSpan InitialWait { get; init; } = InitialWait > TimeSpan.Zero ? InitialWait : throw new ArgumentOutOfRangeException(nameof(InitialWait));

    public double Factor { get; init; } = Factor >= 1 ? Factor : throw new ArgumentOutOfRangeException(nameof(Factor));

    public TimeSpan Increment { get; init; } = Increment >= TimeSpan.Zero ? Increment : throw new ArgumentOutOfRangeException(nameof(Increment));

    public TimeSpan MaxWait { get; init; } = MaxWait >= InitialWait ? MaxWait : throw new ArgumentOutOfRangeException(nameof(MaxWait));

    public int MaxRetries { get; init; } = MaxRetries >= 0 ? MaxRetries : throw new ArgumentOutOfRangeException(nameof(MaxRetries));

    /// <summary>The wait that follows <paramref name="previous"/>.</summary>
    public TimeSpan Next(TimeSpan previous)
    {
        var next = previous.TotalMilliseconds * Factor + Increment.TotalMilliseconds;
        return next >= MaxWait.TotalMilliseconds ? MaxWait : TimeSpan.FromMilliseconds(next);
    }

    /// <summary>Every wait from the first send to the timeout: <see cref="MaxRetries"/> + 1 of them.</summary>
    public IEnumerable<TimeSpan> Waits()
    {
        var wait = InitialWait;
        for (var i = 0; i <= MaxRetries; i++)
        {
            yield return wait;
            wait = Next(wait);
        }
    }

    /// <summary>Time from the first send until the request times out without an answer.</summary>
    public TimeSpan TotalTime => Waits().Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);
}
