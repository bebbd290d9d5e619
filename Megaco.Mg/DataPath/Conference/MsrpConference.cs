using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// The MSRP part of an MRFP conference (Mp, TS 23.333 §6.2.10: one context whose terminations are the
/// participants; a conference once three or more are through-connected). Each leg is a participant's clear
/// byte stream as two pipes (TLS, when there is any, is terminated before them). The conference is the
/// focus's MSRP endpoint on every leg: each SEND chunk with a body from one participant goes to every other
/// participant the topology allows, with that leg's To-Path (the participant's path) and From-Path (the MG's
/// URI on that leg) and every other byte unchanged, chunk by chunk as it streams in; chunks of different
/// senders interleave only at chunk boundaries. The conference answers each participant's transactions
/// itself (200, or none as Failure-Report asks; success REPORTs when asked) and consumes the responses and
/// REPORTs that participants send about its own transactions (RFC 4975 §5.3: responses are hop by hop).
/// </summary>
/// <remarks>
/// Everything is bounded: <see cref="MsrpConferenceOptions.MaxLegs"/> participants, one lane of
/// <see cref="MsrpConferenceOptions.MaxQueuedBytesPerLane"/> per ordered pair; a sender waits on a full lane
/// (backpressure reaches its TCP window through its input pipe), and a destination whose lane stays full for
/// <see cref="MsrpConferenceOptions.StallTimeout"/> is dropped. A participant that leaves, is removed or breaks
/// framing ends alone: its chunks under way to others end with <c>#</c> (RFC 4975 §7.1), the others go on.
/// </remarks>
public sealed class MsrpConference : IAsyncDisposable
{
    private readonly MsrpConferenceOptions _options;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<(string From, string To), bool> _blocked = new();
    private readonly Dictionary<string, ConferenceLeg> _byId = new(StringComparer.Ordinal);
    private ConferenceLeg[] _legs = [];
    private bool _disposed;

    public MsrpConference(MsrpConferenceOptions? options = null)
    {
        _options = options ?? new MsrpConferenceOptions();
    }

    /// <summary>Participants in the conference now.</summary>
    public int LegCount => Volatile.Read(ref _legs).Length;

    internal ConferenceLeg[] Legs => Volatile.Read(ref _legs);

    /// <summary>
    /// Adds a participant: <paramref name="fromParticipant"/> carries what it sends, <paramref name="toParticipant"/>
    /// what it must receive; the conference owns both from here and completes them when the leg ends
    /// (<paramref name="toParticipant"/> with <see cref="MsrpConferenceLegException"/> after a fault).
    /// <paramref name="localUri"/> is the MG's MSRP URI on this leg, <paramref name="remotePath"/> the
    /// participant's path (one URI, or several separated by spaces). False when the id is taken, the
    /// conference is full or disposed.
    /// </summary>
    public bool TryAddLeg(string legId, PipeReader fromParticipant, PipeWriter toParticipant, string localUri, string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(legId);
        ArgumentNullException.ThrowIfNull(fromParticipant);
        ArgumentNullException.ThrowIfNull(toParticipant);
        MsrpPathMapping.ValidateUri(localUri, nameof(localUri));
        ArgumentNullException.ThrowIfNull(remotePath);
        foreach (var uri in remotePath.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            MsrpPathMapping.ValidateUri(uri, nameof(remotePath));
        }
        if (remotePath.Length == 0 || remotePath.Contains("  ", StringComparison.Ordinal) || remotePath[0] == ' ' || remotePath[^1] == ' ')
        {
            throw new ArgumentException("the remote path is one or more MSRP URIs separated by single spaces", nameof(remotePath));
        }

        var leg = new ConferenceLeg(legId, fromParticipant, toParticipant, Encoding.ASCII.GetBytes(localUri), Encoding.ASCII.GetBytes(remotePath));
        var self = leg.OpenLane(leg, _options.MaxQueuedBytesPerLane)!;
        lock (_lock)
        {
            if (_disposed || _byId.ContainsKey(legId) || _byId.Count >= _options.MaxLegs)
            {
                leg.Dispose();
                return false;
            }
            // Started under the lock, so that whoever ends the leg finds both loops to wait for.
            var source = new ConferenceSource(this, leg, self, _options);
            leg.Writer = Task.Run(() => leg.RunWriterAsync(EndLeg));
            leg.Source = Task.Run(source.RunAsync);
            _byId.Add(legId, leg);
            _legs = [.. _legs, leg];
        }
        return true;
    }

    /// <summary>
    /// Sets how media flows between two participants (H.248.1 §7.1.18): <see cref="MsrpConferenceTopology.OneWay"/>
    /// lets <paramref name="from"/>'s messages reach <paramref name="to"/> but not the reverse. Applies from
    /// the next chunk on; every pair starts as <see cref="MsrpConferenceTopology.BothWay"/>.
    /// </summary>
    public void SetTopology(string from, string to, MsrpConferenceTopology topology)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        lock (_lock)
        {
            // The pairs are bounded by the legs: a topology names two participants present now.
            if (!_byId.ContainsKey(from) || !_byId.ContainsKey(to))
            {
                throw new ArgumentException($"no leg '{(_byId.ContainsKey(from) ? to : from)}' in the conference");
            }
        }
        SetBlocked(from, to, topology == MsrpConferenceTopology.Isolate);
        SetBlocked(to, from, topology != MsrpConferenceTopology.BothWay);
    }

    internal bool Allows(string from, string to) => !_blocked.ContainsKey((from, to));

    private void SetBlocked(string from, string to, bool blocked)
    {
        if (blocked)
        {
            _blocked[(from, to)] = true;
        }
        else
        {
            _blocked.TryRemove((from, to), out _);
        }
    }

    public bool TryGetStats(string legId, out MsrpConferenceLegStats stats)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(legId, out var leg))
            {
                stats = leg.Stats;
                return true;
            }
        }
        stats = default;
        return false;
    }

    /// <summary>
    /// Takes a participant out (the MRFC subtracted it): its chunks under way to others end with <c>#</c>,
    /// what was queued for it is dropped, both its pipes are completed. Completes when all that is done,
    /// with the leg's last counters; null if there was no such leg.
    /// </summary>
    public async Task<MsrpConferenceLegStats?> RemoveLegAsync(string legId)
    {
        ConferenceLeg? leg;
        lock (_lock)
        {
            _byId.TryGetValue(legId, out leg);
        }
        if (leg is null)
        {
            return null;
        }
        EndLeg(leg, new MsrpConferenceLegEnd(legId, MsrpConferenceLegEndReason.Removed));
        await Task.WhenAll(leg.Source, leg.Writer).ConfigureAwait(false);
        return leg.Stats;
    }

    /// <summary>Ends a leg once, for the first reason given; it leaves the conference at once, its loops wind down behind.</summary>
    internal void EndLeg(ConferenceLeg leg, MsrpConferenceLegEnd end)
    {
        if (!leg.TryEnd(end))
        {
            return;
        }
        lock (_lock)
        {
            if (_byId.TryGetValue(leg.Id, out var current) && current == leg)
            {
                _byId.Remove(leg.Id);
                _legs = [.. _legs.Where(l => l != leg)];
            }
            foreach (var key in _blocked.Keys)
            {
                if (key.From == leg.Id || key.To == leg.Id)
                {
                    _blocked.TryRemove(key, out _);
                }
            }
        }
        _ = ReapAsync(leg);
        _options.OnLegEnded?.Invoke(end);
    }

    /// <summary>Releases a leg's resources once both its loops have returned (they never throw).</summary>
    private static async Task ReapAsync(ConferenceLeg leg)
    {
        await Task.WhenAll(leg.Source, leg.Writer).ConfigureAwait(false);
        leg.Dispose();
    }

    /// <summary>Ends every leg (<see cref="MsrpConferenceLegEndReason.Disposed"/>) and waits for their loops.</summary>
    public async ValueTask DisposeAsync()
    {
        ConferenceLeg[] legs;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            legs = _legs;
        }
        foreach (var leg in legs)
        {
            EndLeg(leg, new MsrpConferenceLegEnd(leg.Id, MsrpConferenceLegEndReason.Disposed));
        }
        await Task.WhenAll(legs.SelectMany(l => new[] { l.Source, l.Writer })).ConfigureAwait(false);
    }
}
