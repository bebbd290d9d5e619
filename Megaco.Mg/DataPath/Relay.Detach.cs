namespace Megaco.Mg.DataPath;

/// <summary>
/// Stopping a relay at a safe point with both connections kept, for a termination that leaves its context
/// (H.248.1 §7.2.3 Move, §7.2.4 Subtract of one of two): the partner stays connected and the bearers are the
/// caller's again, to be closed or joined to a new relay.
/// </summary>
public sealed partial class Relay
{
    private bool _detaching;

    /// <summary>
    /// Stops reading from both peers and lets everything already read reach the other peer (no FIN sent), then
    /// ends with <see cref="RelayEndReason.Detached"/>: no byte lost (what was not read stays in the kernel for
    /// the bearer's next reader), none duplicated. A receive waiting for data, held by a closed gate or by
    /// backpressure stops at once; a TLS side keeps a record read in part in its session. Draining is bounded by
    /// <paramref name="drainTimeout"/> (a peer that does not read): past it, or when a socket fails while
    /// draining, the relay ends as it would have without the detach (both connections reset) and says why.
    /// A relay that has already ended returns how it ended.
    /// </summary>
    public async ValueTask<RelayEnd> DetachAsync(TimeSpan drainTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(drainTimeout, TimeSpan.Zero);
        if (!TryEnd(new RelayEnd(RelayEndReason.Detached)))
        {
            return await _completion.ConfigureAwait(false);
        }
        try
        {
            return await _completion.WaitAsync(drainTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            TryEnd(new RelayEnd(RelayEndReason.Stopped));
            return await _completion.ConfigureAwait(false);
        }
    }
}
