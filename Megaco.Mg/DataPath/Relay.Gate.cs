namespace Megaco.Mg.DataPath;

/// <summary>
/// A gate per direction, for stream modes and topology (H.248.1 §7.1.7, §7.1.18) that forbid one direction
/// for a while. A closed gate holds the receive loop before it flushes what it last received: nothing is
/// dropped, nothing more is read from that peer (TCP flow control then holds it), and on opening the held
/// bytes go first, so no byte is lost, duplicated or reordered.
/// </summary>
public sealed partial class Relay
{
    private readonly Gate[] _gates;

    /// <summary>
    /// Lets bytes received from <paramref name="from"/> flow to the other side, or holds them. A held side is
    /// not reported inactive (the relay stopped reading it, the peer may well be sending); its silence is
    /// counted again from the moment it flows.
    /// </summary>
    public void SetFlow(RelaySide from, bool flowing)
    {
        var gate = GateOf(from);
        if (flowing)
        {
            if (!gate.IsOpen)
            {
                var flow = FlowFrom(from);
                Volatile.Write(ref flow.LastReceive, _time.GetTimestamp());
                Volatile.Write(ref flow.InactivityReported, 0);
            }
            gate.Open();
        }
        else
        {
            gate.Close();
        }
    }

    /// <summary>Whether bytes received from <paramref name="from"/> flow now.</summary>
    public bool IsFlowing(RelaySide from) => GateOf(from).IsOpen;

    private Gate GateOf(RelaySide from) => _gates[from == RelaySide.A ? 0 : 1];

    private sealed class Gate
    {
        private TaskCompletionSource? _closed;

        public Gate(bool open)
        {
            if (!open)
            {
                Close();
            }
        }

        public bool IsOpen => Volatile.Read(ref _closed) is null;

        public void Close() =>
            Interlocked.CompareExchange(ref _closed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

        public void Open() => Interlocked.Exchange(ref _closed, null)?.TrySetResult();

        /// <summary>Completes at once while open (no allocation on the hot path); otherwise when opened or cancelled.</summary>
        public ValueTask WaitAsync(CancellationToken cancellationToken) =>
            Volatile.Read(ref _closed) is { } closed ? new ValueTask(closed.Task.WaitAsync(cancellationToken)) : ValueTask.CompletedTask;
    }
}
