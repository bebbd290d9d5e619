namespace Megaco.Mg.DataPath;

/// <summary>
/// A gate per direction, for stream modes and topology (H.248.1 §7.1.7, §7.1.18) that forbid one direction
/// for a while. A closed gate holds the receive loop before it sends (or flushes) what it last received:
/// nothing is dropped, nothing more is read from that peer (TCP flow control then holds it), and on opening
/// the held bytes go first, so no byte is lost, duplicated or reordered.
/// </summary>
public sealed partial class Relay
{
    /// <summary>
    /// Lets bytes received from <paramref name="from"/> flow to the other side, or holds them. A held side is
    /// not reported inactive (the relay stopped reading it, the peer may well be sending); its silence is
    /// counted again from the moment it flows.
    /// </summary>
    public void SetFlow(RelaySide from, bool flowing)
    {
        var flow = FlowFrom(from);
        if (flowing)
        {
            if (!flow.IsOpen)
            {
                Volatile.Write(ref flow.LastReceive, _time.GetTimestamp());
                Volatile.Write(ref flow.InactivityReported, 0);
            }
            flow.Open();
        }
        else
        {
            flow.Close();
        }
    }

    /// <summary>Whether bytes received from <paramref name="from"/> flow now.</summary>
    public bool IsFlowing(RelaySide from) => FlowFrom(from).IsOpen;

    private sealed partial class Flow
    {
        public bool IsOpen => Volatile.Read(ref _closed) is null;

        public void Close() => Interlocked.CompareExchange(ref _closed, NewClosed(), null);

        public void Open() => Interlocked.Exchange(ref _closed, null)?.TrySetResult();

        /// <summary>Completes at once while open (no allocation on the hot path); otherwise when opened or cancelled.</summary>
        public ValueTask WaitAsync(CancellationToken cancellationToken) =>
            Volatile.Read(ref _closed) is { } closed ? new ValueTask(closed.Task.WaitAsync(cancellationToken)) : ValueTask.CompletedTask;

        private static TaskCompletionSource NewClosed() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
