using System.Runtime.CompilerServices;

namespace Megaco.Mg.DataPath;

/// <summary>
/// The inactivity and idle checks of every relay on one clock. Relays that check with the same period wait
/// in one queue, in the order their checks fall due (each is appended at now + period, so the queue stays
/// sorted): adding, removing and re-queueing are O(1) on links inside the relay, and a queue has a single
/// one-shot timer set to its head. So a relay costs no timer and no allocation of its own, and a clock has
/// one timer per period in use (the MG's configured timeouts and whatever the MGC set per termination),
/// each dropped when its queue empties.
/// </summary>
internal sealed class RelayTimers
{
    private static readonly ConditionalWeakTable<TimeProvider, RelayTimers> Clocks = [];

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<TimeSpan, Queue> _queues = [];

    private RelayTimers(TimeProvider time) => _time = time;

    public static RelayTimers For(TimeProvider time) => Clocks.GetValue(time, static t => new RelayTimers(t));

    /// <summary>Queues (and so timers) in use.</summary>
    internal int QueueCount
    {
        get
        {
            lock (_lock)
            {
                return _queues.Count;
            }
        }
    }

    /// <summary>Relays waiting for a check, in all queues.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _queues.Values.Sum(queue => queue.Count);
            }
        }
    }

    /// <summary>Checks <paramref name="relay"/> every <paramref name="period"/> until <see cref="Remove"/>.</summary>
    public void Add(Relay relay, TimeSpan period)
    {
        lock (_lock)
        {
            if (!_queues.TryGetValue(period, out var queue))
            {
                queue = new Queue(this, period);
                _queues.Add(period, queue);
            }
            var wasEmpty = queue.Head is null;
            queue.Append(relay, _time.GetTimestamp());
            if (wasEmpty)
            {
                queue.Timer.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Stops checking <paramref name="relay"/>; harmless when it is in no queue.</summary>
    public void Remove(Relay relay)
    {
        lock (_lock)
        {
            relay.TimerQueue?.Unlink(relay);
        }
    }

    /// <summary>
    /// Checks the relays due when the timer fired (one pass: a relay re-queued meanwhile waits for the next),
    /// each outside the lock, since a check may end its relay or raise an event.
    /// </summary>
    private void Fire(Queue queue)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            Relay due;
            lock (_lock)
            {
                if (queue.Head is not { } head)
                {
                    // Empty: the queue and its timer go; the next relay with this period makes a new one. A late
                    // call for a queue already gone finds another (or none) under its period and leaves it.
                    if (_queues.TryGetValue(queue.Period, out var current) && current == queue)
                    {
                        _queues.Remove(queue.Period);
                        queue.Timer.Dispose();
                    }
                    return;
                }
                if (head.TimerDue > start)
                {
                    queue.Timer.Change(_time.GetElapsedTime(_time.GetTimestamp(), head.TimerDue), Timeout.InfiniteTimeSpan);
                    return;
                }
                due = head;
                queue.Unlink(due);
                queue.Append(due, _time.GetTimestamp());
            }
            due.OnTimer();
        }
    }

    /// <summary>The relays checked every <see cref="Period"/>, soonest due first.</summary>
    internal sealed class Queue
    {
        private readonly long _periodTimestamps;

        public Queue(RelayTimers owner, TimeSpan period)
        {
            Period = period;
            _periodTimestamps = (long)(period.TotalSeconds * owner._time.TimestampFrequency);
            Timer = owner._time.CreateTimer(static state =>
            {
                var queue = (Queue)state!;
                queue.Owner.Fire(queue);
            }, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Owner = owner;
        }

        public TimeSpan Period { get; }

        public ITimer Timer { get; }

        public Relay? Head { get; private set; }

        public int Count { get; private set; }

        private RelayTimers Owner { get; }

        private Relay? Tail { get; set; }

        public void Append(Relay relay, long now)
        {
            relay.TimerQueue = this;
            relay.TimerDue = now + _periodTimestamps;
            relay.TimerNext = null;
            relay.TimerPrevious = Tail;
            if (Tail is null)
            {
                Head = relay;
            }
            else
            {
                Tail.TimerNext = relay;
            }
            Tail = relay;
            Count++;
        }

        public void Unlink(Relay relay)
        {
            if (relay.TimerPrevious is null)
            {
                Head = relay.TimerNext;
            }
            else
            {
                relay.TimerPrevious.TimerNext = relay.TimerNext;
            }
            if (relay.TimerNext is null)
            {
                Tail = relay.TimerPrevious;
            }
            else
            {
                relay.TimerNext.TimerPrevious = relay.TimerPrevious;
            }
            relay.TimerQueue = null;
            relay.TimerNext = null;
            relay.TimerPrevious = null;
            Count--;
        }
    }
}
