using Megaco.Mg.DataPath.Conference;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// MRFP conferences (Mp, TS 23.333 §6.2.10). The rule: an MG configured for more than two terminations per
/// context (<see cref="MediaOptions.MaxTerminationsPerContext"/> &gt; 2) is an MRFP, and its MSRP-aware
/// terminations (Local <c>a=path:$</c>, which the MRFC always asks for participants) are conference legs from
/// the first one on, whatever their number, so a third participant joins without tearing a relay down. Every
/// other context (two terminations on an IMS-AGW or TrGW, or not MSRP-aware) keeps the pairwise relay.
/// </summary>
public sealed partial class MediaGatewayEngine
{
    /// <summary>How long a leaving participant's last bytes may take to reach its socket before the connection is reset.</summary>
    private static readonly TimeSpan LegLinger = TimeSpan.FromSeconds(1);

    private bool Conferences(MgTermination termination) =>
        _options.MaxTerminationsPerContext > 2 && termination.Media is { IsMsrpAware: true };

    /// <summary>Adds every established, not yet joined participant of the context to its conference (created with the first).</summary>
    private void JoinConference(MgContext context)
    {
        foreach (var termination in context.Terminations)
        {
            if (termination.Pipes is not null || termination.Phase != BearerPhase.Established || termination.Bearer is not { IsEstablished: true } bearer
                || !Conferences(termination) || termination.Media!.Remote is not { Path.Count: > 0 } remote
                || (termination.TerminatesTls && termination.Tls is null))
            {
                // A TLS participant joins only once its handshake has verified the peer: until then its connection
                // belongs to the handshake, and nothing it sends may reach the others.
                continue;
            }
            var conference = context.Conference ??= NewConference(context);
            BearerPipes? pipes = null;
            var options = new BearerPipesOptions
            {
                Limits = _options.Limits(InactivityTime(termination)),
                OnInactivity = () => _ = OnLegInactiveAsync(termination, pipes),
                TimeProvider = _time,
            };
            pipes = termination.Tls is { } tls ? BearerPipes.Start(tls, options) : BearerPipes.Start(bearer, options);
            if (!TryAddLeg(conference, termination, pipes, string.Join(' ', remote.Path)))
            {
                // The bridge refused it (full or closing): the participant's connection is released, as a lost one.
                _ = pipes.DisposeAsync().AsTask();
                termination.Tls = null;
                termination.Bearer = null;
                termination.Phase = BearerPhase.Released;
                Fire(termination, TcpLost, [Parameter("cause", "other")]);
                continue;
            }
            termination.Pipes = pipes;
        }
        UpdateConferenceFlow(context);
    }

    /// <summary>False when the bridge is full or closing, or the Remote's path is not one it can address.</summary>
    private bool TryAddLeg(MsrpConference conference, MgTermination termination, BearerPipes pipes, string remotePath)
    {
        try
        {
            return conference.TryAddLeg(termination.Id.Text, pipes.FromPeer, pipes.ToPeer, OwnUri(termination), remotePath);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private MsrpConference NewConference(MgContext context)
    {
        MsrpConference? conference = null;
        conference = new MsrpConference(new MsrpConferenceOptions
        {
            MaxLegs = Math.Clamp(_options.MaxTerminationsPerContext, 2, 1024),
            OnLegEnded = end => _ = OnLegEndedAsync(context, conference!, end),
        });
        return conference;
    }

    /// <summary>A participant left on its own (closed, reset, framing error, stalled): tcpx/lost with a cause, the connection released.</summary>
    private async Task OnLegEndedAsync(MgContext context, MsrpConference conference, MsrpConferenceLegEnd end)
    {
        if (end.Reason is MsrpConferenceLegEndReason.Removed or MsrpConferenceLegEndReason.Disposed)
        {
            // The engine ended it (Subtract, release, context gone) and does the rest itself.
            return;
        }
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (context.Conference != conference || context.Find(new TerminationId(end.LegId)) is not { Pipes: { } pipes } termination)
            {
                return;
            }
            LogRelayEnded(_logger, context.Id.ToString(), end.LegId + " " + end.Reason);
            var brokenTls = pipes.BrokenTls;
            await DetachLegAsync(termination, pipes).ConfigureAwait(false);
            var cause = end.Reason switch
            {
                MsrpConferenceLegEndReason.Closed or MsrpConferenceLegEndReason.OutputClosed => "closed",
                // As on a relayed TLS leg: a broken record or an alert is not a reset.
                MsrpConferenceLegEndReason.InputFailed => brokenTls ? "other" : "reset",
                _ => "other",
            };
            Fire(termination, TcpLost, [Parameter("cause", cause)]);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// adid/ipstop for a participant silent for its detection time, unless it may send to no one now (its mode or
    /// the topology holds it: silence is expected), as for a relayed termination.
    /// </summary>
    private async Task OnLegInactiveAsync(MgTermination termination, BearerPipes? pipes)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var context = termination.Context;
            if (pipes is not null && termination.Pipes == pipes && !termination.Removed
                && context.Terminations.Exists(other => other != termination && other.Pipes is not null && context.MayFlow(termination, other)))
            {
                Fire(termination, IpFlowStop, []);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Takes a participant out of the bridge (if still in) and keeps its connection's octet counts.</summary>
    private async ValueTask DetachLegAsync(MgTermination termination, BearerPipes pipes)
    {
        if (termination.Context.Conference is { } conference)
        {
            await conference.RemoveLegAsync(termination.Id.Text).ConfigureAwait(false);
        }
        // The bridge has completed the leg's outgoing pipe: its last bytes and the FIN go out (bounded), so the
        // participant sees a close, not a reset, and the counters hold all that was sent;
        // the engine shutting down does not wait.
        try
        {
            await pipes.Sent.WaitAsync(_stopping.IsCancellationRequested ? TimeSpan.Zero : LegLinger, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The participant does not read (or the engine stops): disposal resets the connection.
        }
        await pipes.DisposeAsync().ConfigureAwait(false);
        termination.SentBefore += pipes.BytesSent;
        termination.ReceivedBefore += pipes.BytesReceived;
        termination.Pipes = null;
        termination.Tls = null;
        termination.Bearer = null;
        termination.Phase = BearerPhase.Released;
    }

    /// <summary>The context is gone: its bridge goes with it.</summary>
    private static async ValueTask EndConferenceAsync(MgContext context)
    {
        if (context.Conference is { } conference)
        {
            context.Conference = null;
            await conference.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Modes and topology (H.248.1 §7.1.18) of every pair of joined participants, as the bridge's topology.</summary>
    private static void UpdateConferenceFlow(MgContext context)
    {
        if (context.Conference is not { } conference)
        {
            return;
        }
        var legs = context.Terminations.FindAll(t => t.Pipes is not null);
        for (var i = 0; i < legs.Count; i++)
        {
            for (var j = i + 1; j < legs.Count; j++)
            {
                var (a, b) = (legs[i], legs[j]);
                var (ab, ba) = (context.MayFlow(a, b), context.MayFlow(b, a));
                try
                {
                    if (ab)
                    {
                        conference.SetTopology(a.Id.Text, b.Id.Text, ba ? MsrpConferenceTopology.BothWay : MsrpConferenceTopology.OneWay);
                    }
                    else
                    {
                        conference.SetTopology(b.Id.Text, a.Id.Text, ba ? MsrpConferenceTopology.OneWay : MsrpConferenceTopology.Isolate);
                    }
                }
                catch (ArgumentException)
                {
                    // The leg ended on its own a moment ago; its end event detaches it.
                }
            }
        }
    }
}
