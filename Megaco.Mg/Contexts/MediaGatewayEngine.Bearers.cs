using System.Globalization;
using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using Microsoft.Extensions.Logging;

namespace Megaco.Mg.Contexts;

public sealed partial class MediaGatewayEngine
{
    private static readonly PkgdName TcpEstablished = new("tcpx", "est");
    private static readonly PkgdName TcpFailed = new("tcpx", "fail");
    private static readonly PkgdName TcpLost = new("tcpx", "lost");
    private static readonly PkgdName IpFlowStop = new("adid", "ipstop");
    private static readonly PkgdName SourceAddressChange = new("adr", "rsac");
    private static readonly PkgdName TlsEstablished = new("tlsx", "est");
    private static readonly PkgdName TlsFailed = new("tlsx", "fail");

    /// <summary>
    /// Starts the termination's bearer once its descriptors say enough: a listening role (passive, actpass)
    /// needs its port and either latching or the Remote address to admit; the active role needs the Remote's
    /// address and port; holdconn waits (RFC 4145 §4). Establishment runs in the background and ends in an event.
    /// </summary>
    private void StartBearerIfReady(MgTermination termination)
    {
        if (termination.Bearer is not null || termination.Phase == BearerPhase.Established || termination.Media is not { } media
            || termination.ServiceState == ServiceState.OutOfService || _stopping.IsCancellationRequested)
        {
            return;
        }
        if (media.OwnFingerprintHash is not null && termination.Psk is null && media.RemoteFingerprints.Count == 0)
        {
            // RFC 8122 §6.2: the peer's certificate is checked against the Remote's fingerprints; without
            // them no connection could be verified, so none is taken yet.
            return;
        }
        var remote = media.RemoteEndPoint;
        TcpBearerOptions options;
        BearerPortLease? lease = null;
        var id = termination.Id.Text;
        switch (media.Role)
        {
            case SetupRole.Active when remote is { Port: > 0 }:
                options = new TcpBearerOptions { Role = SetupRole.Active, Remote = remote, LocalAddress = _address, Limits = _options.Limits(), Metrics = _metrics };
                break;
            case SetupRole.Passive or SetupRole.ActPass when termination.Lease is not null && (termination.Latching || remote is not null):
                options = new TcpBearerOptions
                {
                    Role = media.Role,
                    Remote = remote,
                    Latching = termination.Latching,
                    Limits = _options.Limits(),
                    Metrics = _metrics,
                    OnRefused = source => LogRefused(_logger, id, source),
                };
                lease = termination.Lease;
                break;
            default:
                return;
        }
        var bearer = TcpBearer.Create(options, lease);
        termination.Lease = null;
        termination.Bearer = bearer;
        termination.Phase = BearerPhase.Establishing;
        var establishing = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        termination.Establishing = establishing;
        var task = EstablishAsync(bearer, establishing.Token);
        termination.EstablishTask = task;
        _ = AfterEstablishAsync(termination, bearer, task);
    }

    /// <summary>The bearer's outcome; null when it was stopped (the termination went, or its plan changed).</summary>
    private static async Task<BearerOutcome?> EstablishAsync(TcpBearer bearer, CancellationToken cancellationToken)
    {
        try
        {
            return await bearer.EstablishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
        catch (SocketException)
        {
            // No socket could even be created (descriptors exhausted): a failure like any other.
            return BearerOutcome.Failed;
        }
    }

    private async Task AfterEstablishAsync(MgTermination termination, TcpBearer bearer, Task<BearerOutcome?> establishing)
    {
        var outcome = await establishing.ConfigureAwait(false);
        if (outcome is not { } result)
        {
            return;
        }
        using var scope = _logger.BeginScope("Context {ContextId} termination {TerminationId}", termination.Context.Id, termination.Id);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (termination.Removed || termination.Bearer != bearer)
            {
                return;
            }
            termination.Establishing?.Dispose();
            termination.Establishing = null;
            termination.EstablishTask = null;
            LogBearer(_logger, termination.Id.Text, result.ToString(), bearer.RemoteEndPoint);
            if (result == BearerOutcome.Established)
            {
                termination.Phase = BearerPhase.Established;
                var peer = bearer.RemoteEndPoint!;
                termination.PeerEndPoint = peer;
                Fire(termination, TcpEstablished, [Parameter("ra", peer.ToString())]);
                if (termination.Latching)
                {
                    Fire(termination, SourceAddressChange,
                        [Parameter("nrsa", peer.Address.ToString()), Parameter("nrsp", peer.Port.ToString(CultureInfo.InvariantCulture))]);
                }
                if (termination.TerminatesTls)
                {
                    StartHandshake(termination, bearer);
                    return;
                }
                TryStartRelay(termination.Context);
                return;
            }
            termination.Phase = BearerPhase.Failed;
            termination.Bearer = null;
            await bearer.DisposeAsync().ConfigureAwait(false);
            var cause = result == BearerOutcome.TimedOut ? "timeout" : bearer.LastError switch
            {
                SocketError.ConnectionRefused => "refused",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
                _ => "other",
            };
            Fire(termination, TcpFailed, [Parameter("cause", cause)]);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The contract's TLS termination on an established bearer: the handshake runs in the background, bounded
    /// by the handshake timeout, in the TLS role of the TCP role (RFC 8122 §6.2); nothing is relayed until it
    /// has verified the peer. Stopping the bearer cancels it (<see cref="ReleaseAsync"/>).
    /// </summary>
    private void StartHandshake(MgTermination termination, TcpBearer bearer)
    {
        var options = new TlsEndpointOptions
        {
            Role = TlsRoles.For(bearer.Role),
            Certificate = termination.Psk is null ? termination.Certificate : null,
            RemoteFingerprints = termination.Psk is null ? termination.Media!.RemoteFingerprints : [],
            Psk = termination.Psk,
            MinVersion = termination.MinVersion ?? TlsVersion.Tls12,
            HandshakeTimeout = _options.HandshakeTimeout,
        };
        var establishing = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        termination.Establishing = establishing;
        var task = HandshakeAsync(bearer, options, establishing.Token);
        termination.EstablishTask = task;
        _ = AfterHandshakeAsync(termination, bearer, task);
    }

    /// <summary>The handshake's outcome; null when it was stopped (the termination went, or its bearer was released).</summary>
    private static async Task<TlsOutcome?> HandshakeAsync(TcpBearer bearer, TlsEndpointOptions options, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            // A Modify took the Remote's fingerprints away while TCP was coming up: nothing can be verified.
            return TlsOutcome.Failed(TlsFailureCause.Protocol, null, e.Message);
        }
        try
        {
            return await TlsLeg.EstablishAsync(bearer, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>tlsx/est and the relay, or tlsx/fail and the bearer closed (nothing relayed); the termination stays for the MGC to decide.</summary>
    private async Task AfterHandshakeAsync(MgTermination termination, TcpBearer bearer, Task<TlsOutcome?> handshake)
    {
        var outcome = await handshake.ConfigureAwait(false);
        if (outcome is null)
        {
            return;
        }
        using var scope = _logger.BeginScope("Context {ContextId} termination {TerminationId}", termination.Context.Id, termination.Id);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (termination.Removed || termination.Bearer != bearer)
            {
                outcome.Leg?.Channel.Dispose();
                return;
            }
            termination.Establishing?.Dispose();
            termination.Establishing = null;
            termination.EstablishTask = null;
            LogTls(_logger, termination.Id.Text, outcome.ToString());
            if (outcome.Leg is { } leg)
            {
                termination.Tls = leg;
                Fire(termination, TlsEstablished, [Parameter("ver", TlsVersions.Token(leg.Version)), Parameter("cs", leg.CipherSuiteName)]);
                TryStartRelay(termination.Context);
                return;
            }
            termination.Phase = BearerPhase.Failed;
            termination.Bearer = null;
            await bearer.DisposeAsync().ConfigureAwait(false);
            Fire(termination, TlsFailed, [Parameter("cause", TlsOutcome.CauseToken(outcome.Cause ?? TlsFailureCause.Protocol))]);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A plain side (TCP, e2e TLS relayed untouched) or a TLS side terminated by the MG.</summary>
    private static RelayLeg LegOf(MgTermination termination) =>
        termination.Tls is { } tls ? RelayLeg.Secured(tls) : RelayLeg.Plain(termination.Bearer!);

    /// <summary>Joins the two terminations of a context once both are connected; gates follow modes and topology.</summary>
    private void TryStartRelay(MgContext context)
    {
        if (context.Conference is not null || context.Terminations.Exists(Conferences))
        {
            JoinConference(context);
            return;
        }
        if (context.Relay is not null || context.Terminations.Count != 2)
        {
            return;
        }
        var a = context.Terminations[0];
        var b = context.Terminations[1];
        if (a.Phase != BearerPhase.Established || b.Phase != BearerPhase.Established || a.Bearer is null || b.Bearer is null
            || (a.TerminatesTls && a.Tls is null) || (b.TerminatesTls && b.Tls is null))
        {
            // A TLS leg joins only once its handshake has verified the peer.
            return;
        }
        var inactivity = Shortest(InactivityTime(a), InactivityTime(b));
        Relay? started = null;
        started = Relay.Start(LegOf(a), LegOf(b), new RelayOptions
        {
            Limits = _options.Limits(inactivity),
            Metrics = _metrics,
            TimeProvider = _time,
            FlowFromA = context.MayFlow(a, b),
            FlowFromB = context.MayFlow(b, a),
            OnInactivity = side => _ = OnInactivityAsync(context, started, side == RelaySide.A ? a : b),
            ConfigurePath = a.Media!.IsMsrpAware && b.Media!.IsMsrpAware
                ? PathRewriting(a, b)
                : null,
        });
        context.Relay = started;
        a.Side = RelaySide.A;
        b.Side = RelaySide.B;
        _ = AfterRelayAsync(context, started, a, b);
    }

    /// <summary>
    /// MSRP-aware mode (the Iq control contract): a message arriving on leg X carries To-Path = X's Local URI
    /// and From-Path = X's Remote path; on leg Y it leaves with To-Path = Y's Remote path and From-Path = Y's
    /// Local URI. Single-hop paths: the first URI of a Remote path stands for the peer.
    /// </summary>
    private Action<RelaySide, DataPathBuilder> PathRewriting(MgTermination a, MgTermination b)
    {
        var fromA = Mapping(a, b);
        var fromB = Mapping(b, a);
        return (side, builder) => builder.Add(new DataPath.Stages.PathRewriteStage(side == RelaySide.A ? fromA : fromB));
    }

    private DataPath.Msrp.MsrpPathMapping Mapping(MgTermination from, MgTermination to)
    {
        var uris = new Dictionary<string, string>(2);
        if (to.Media!.Remote is { Path.Count: > 0 } toPeer)
        {
            uris[OwnUri(from)] = string.Join(' ', toPeer.Path);
        }
        if (from.Media!.Remote is { Path.Count: > 0 } fromPeer)
        {
            uris[fromPeer.Path[0]] = OwnUri(to);
        }
        return new DataPath.Msrp.MsrpPathMapping(uris);
    }

    private async Task AfterRelayAsync(MgContext context, Relay relay, MgTermination a, MgTermination b)
    {
        var end = await relay.Completion.ConfigureAwait(false);
        using var scope = _logger.BeginScope("Context {ContextId}", context.Id);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (context.Relay != relay)
            {
                return;
            }
            await DetachRelayAsync(context, relay, a, b).ConfigureAwait(false);
            ReportRelayEnd(context, end, a, b);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>tcpx/lost on both terminations of a relay that ended on its own (not stopped by a command).</summary>
    private void ReportRelayEnd(MgContext context, RelayEnd end, MgTermination a, MgTermination b)
    {
        LogRelayEnded(_logger, context.Id.ToString(), end.Reason.ToString());
        switch (end.Reason)
        {
            case RelayEndReason.Closed:
                Fire(a, TcpLost, [Parameter("cause", "closed")]);
                Fire(b, TcpLost, [Parameter("cause", "closed")]);
                break;
            case RelayEndReason.IdleTimeout:
                Fire(a, TcpLost, [Parameter("cause", "idle")]);
                Fire(b, TcpLost, [Parameter("cause", "idle")]);
                break;
            case RelayEndReason.PeerLost or RelayEndReason.StageFailed or RelayEndReason.TlsFailed:
                // The side that failed lost its peer; the other was reset because of it.
                var lost = end.Side == RelaySide.B ? b : a;
                Fire(lost, TcpLost, [Parameter("cause", end.Error == SocketError.ConnectionReset ? "reset" : "other")]);
                Fire(lost == a ? b : a, TcpLost, [Parameter("cause", "other")]);
                break;
            case RelayEndReason.Stopped:
                // A detach that could not drain in time: both connections were reset.
                Fire(a, TcpLost, [Parameter("cause", "other")]);
                Fire(b, TcpLost, [Parameter("cause", "other")]);
                break;
        }
    }

    /// <summary>
    /// One termination leaves a relayed pair (H.248.1 §7.2.3 Move, §7.2.4 Subtract, or its own bearer released):
    /// the relay stops at a safe point (<see cref="Relay.DetachAsync"/>: what was read reaches the other peer,
    /// bounded by the handshake timeout) and both terminations keep their connections and what the relay counted.
    /// The one left alone keeps its bearer, established, but nothing is read from it (TCP backpressure holds
    /// its peer, whose FIN or reset is seen by the next relay) until a termination joins its context again.
    /// False when the relay could not drain: both connections were reset and reported lost.
    /// </summary>
    private async ValueTask<bool> SplitRelayAsync(MgContext context, Relay relay)
    {
        var a = context.Terminations.Find(t => t.Side == RelaySide.A)!;
        var b = context.Terminations.Find(t => t.Side == RelaySide.B)!;
        context.Relay = null;
        var end = await relay.DetachAsync(_options.HandshakeTimeout).ConfigureAwait(false);
        if (end.Reason != RelayEndReason.Detached)
        {
            await DetachRelayAsync(context, relay, a, b).ConfigureAwait(false);
            ReportRelayEnd(context, end, a, b);
            return false;
        }
        await relay.DisposeAsync().ConfigureAwait(false);
        foreach (var (termination, side) in new[] { (a, RelaySide.A), (b, RelaySide.B) })
        {
            termination.SentBefore += relay.BytesSent(side);
            termination.ReceivedBefore += relay.BytesReceived(side);
            termination.Side = null;
        }
        LogRelayDetached(_logger, context.Id.ToString());
        return true;
    }

    /// <summary>Stops the relay (its bearers close) and keeps what it counted on each termination.</summary>
    private static async ValueTask DetachRelayAsync(MgContext context, Relay relay, MgTermination a, MgTermination b)
    {
        context.Relay = null;
        await relay.DisposeAsync().ConfigureAwait(false);
        foreach (var (termination, side) in new[] { (a, RelaySide.A), (b, RelaySide.B) })
        {
            termination.SentBefore += relay.BytesSent(side);
            termination.ReceivedBefore += relay.BytesReceived(side);
            termination.Side = null;
            termination.Bearer = null;
            termination.Tls = null;
            termination.Phase = BearerPhase.Released;
        }
    }

    private async Task OnInactivityAsync(MgContext context, Relay? relay, MgTermination termination)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (relay is not null && context.Relay == relay && !termination.Removed)
            {
                Fire(termination, IpFlowStop, []);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Applies the modes and topology of a context to its relay's gates.</summary>
    private static void UpdateFlow(MgContext context)
    {
        UpdateConferenceFlow(context);
        if (context.Relay is not { } relay)
        {
            return;
        }
        var a = context.Terminations.Find(t => t.Side == RelaySide.A);
        var b = context.Terminations.Find(t => t.Side == RelaySide.B);
        if (a is not null && b is not null)
        {
            relay.SetFlow(RelaySide.A, context.MayFlow(a, b));
            relay.SetFlow(RelaySide.B, context.MayFlow(b, a));
        }
    }

    /// <summary>
    /// Releases a termination's connection. In a relay, the relay is split first (<see cref="SplitRelayAsync"/>),
    /// so the partner keeps its connection; with <paramref name="partnerToo"/> (the MG stopping, or the whole
    /// context going) the relay and both connections simply close.
    /// </summary>
    private async ValueTask StopBearerAsync(MgTermination termination, bool partnerToo = false)
    {
        var context = termination.Context;
        if (termination.Side is not null && context.Relay is { } relay)
        {
            if (partnerToo)
            {
                var a = context.Terminations.Find(t => t.Side == RelaySide.A)!;
                var b = context.Terminations.Find(t => t.Side == RelaySide.B)!;
                await DetachRelayAsync(context, relay, a, b).ConfigureAwait(false);
            }
            else if (await SplitRelayAsync(context, relay).ConfigureAwait(false))
            {
                await StopBearerAsync(termination).ConfigureAwait(false);
            }
        }
        else if (termination.Pipes is { } pipes)
        {
            await DetachLegAsync(termination, pipes).ConfigureAwait(false);
        }
        else if (termination.Bearer is { } bearer)
        {
            var release = ReleaseAsync(bearer, termination.Establishing, termination.EstablishTask);
            // A verified session that never joined a relay: its state goes with the bearer.
            termination.Tls?.Channel.Dispose();
            termination.Tls = null;
            termination.Bearer = null;
            termination.Establishing = null;
            termination.EstablishTask = null;
            if (_releasing is { } releasing)
            {
                releasing.Add(release);
            }
            else
            {
                await release.ConfigureAwait(false);
            }
        }
        termination.Phase = BearerPhase.None;
    }

    /// <summary>Stops a bearer's establishment and closes it (its port goes back to the pool); never throws.</summary>
    private static async Task ReleaseAsync(TcpBearer bearer, CancellationTokenSource? establishing, Task? establishTask)
    {
        if (establishing is not null)
        {
            await establishing.CancelAsync().ConfigureAwait(false);
            if (establishTask is not null)
            {
                await establishTask.ConfigureAwait(false);
            }
            establishing.Dispose();
        }
        await bearer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Takes a termination out of its context and gives back all it held; the context goes with its last termination.</summary>
    private async ValueTask RemoveAsync(MgTermination termination, bool partnerToo = false)
    {
        await StopBearerAsync(termination, partnerToo).ConfigureAwait(false);
        termination.Lease?.Dispose();
        termination.Lease = null;
        termination.Removed = true;
        var context = termination.Context;
        context.Forget(termination);
        context.Terminations.Remove(termination);
        _table.Unregister(termination);
        _metrics?.TerminationRemoved();
        if (context.Terminations.Count == 0)
        {
            await EndConferenceAsync(context).ConfigureAwait(false);
            _table.Remove(context);
            _metrics?.ContextRemoved();
        }
    }

    /// <summary>
    /// Sends an observed event to the MGC if it requested it on this termination (H.248.1 §7.1.9) and the
    /// profile lets it go on the wire: an item provisional under a public package id is logged, not sent.
    /// </summary>
    private void Fire(MgTermination termination, PkgdName name, ValueList<PropertyParm> parameters)
    {
        if (termination.Requested(name) is null || termination.Events?.RequestId is not { } requestId)
        {
            return;
        }
        var observed = new ObservedEventsDescriptor(requestId, [new ObservedEvent(name, Parameters: parameters)]);
        if (_validator.CheckOutgoing(new NotifyRequest([termination.Id], observed)) is { } refused)
        {
            LogEventRefused(_logger, name.ToString(), termination.Id.Text, refused.Text ?? "");
            return;
        }
        _ = NotifyAsync(termination.Context.Id, termination.Id, observed, name);
    }

    private async Task NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observed, PkgdName name)
    {
        try
        {
            await _sink.NotifyAsync(context, termination, observed, _stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The sink is the association's: whatever it throws must not reach the relay or timer thread.
            LogNotifyFailed(_logger, name.ToString(), termination.Text, e.Message);
        }
    }

    /// <summary>adid/ipstop's detection time (its <c>dt</c> in ms) if the MGC requested the event.</summary>
    private TimeSpan InactivityTime(MgTermination termination)
    {
        if (termination.Requested(IpFlowStop) is not { } requested)
        {
            return TimeSpan.Zero;
        }
        foreach (var parm in requested.Parameters)
        {
            if (string.Equals(parm.Name.Item, "dt", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(parm.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }
        return _options.DefaultInactivityTime;
    }

    private static TimeSpan Shortest(TimeSpan x, TimeSpan y) =>
        x == TimeSpan.Zero ? y : y == TimeSpan.Zero ? x : x < y ? x : y;

    private static PropertyParm Parameter(string name, string value) => new(new PkgdName("", name), [value]);
}
