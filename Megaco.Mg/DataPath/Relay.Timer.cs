namespace Megaco.Mg.DataPath;

/// <summary>The links by which a relay waits in a <see cref="RelayTimers"/> queue: no timer object of its own.</summary>
public sealed partial class Relay
{
    /// <summary>The queue this relay waits in; null when in none. Guarded, with the links, by the queue's owner.</summary>
    internal RelayTimers.Queue? TimerQueue;

    internal Relay? TimerNext;

    internal Relay? TimerPrevious;

    /// <summary>When the next check is due, in the clock's timestamp units.</summary>
    internal long TimerDue;

    /// <summary>The periodic check: inactivity per side, idle both ways.</summary>
    internal void OnTimer() => OnTick();
}
