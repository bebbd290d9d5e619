using Megaco.Mg.Tls;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using Microsoft.Extensions.Logging;

namespace Megaco.Mg.Contexts;

public sealed partial class MediaGatewayEngine
{
    private static readonly PkgdName OctetsSent = new("nt", "os");
    private static readonly PkgdName OctetsReceived = new("nt", "or");
    private static readonly PkgdName Duration = new("nt", "dur");

    /// <summary>
    /// H.248.1 §7.2.1 Add: a new ephemeral termination <c>msrp/N</c> (the MGC writes <c>$</c>), into the named
    /// context or a new one for <c>$</c>. Everything is checked and every resource taken before the
    /// termination exists; a failure gives back what was taken, so it leaves no trace.
    /// </summary>
    private async ValueTask<CommandReply> AddAsync(ActionScope scope, AmmRequest add)
    {
        var id = Single(add.TerminationIds);
        if (scope.Requested.IsNull)
        {
            CommandFailedException.Throw(H248ErrorCode.UnknownActionOrIllegalCombinationOfActions, "Add into the null context");
        }
        if (!IsChoose(id))
        {
            if (_table.FindTermination(id) is not null)
            {
                CommandFailedException.Throw(H248ErrorCode.TerminationIdAlreadyInContext, id + " is already in a context");
            }
            CommandFailedException.Throw(H248ErrorCode.UnknownTerminationId, "no termination " + id + "; ephemeral terminations are added as $");
        }
        var changes = ReadChanges(add.Descriptors, null);
        var context = scope.Context;
        if (context is not null && context.Terminations.Count >= _options.MaxTerminationsPerContext)
        {
            CommandFailedException.Throw(H248ErrorCode.MaxTerminationsInContextExceeded,
                "context " + context.Id + " holds its maximum of " + _options.MaxTerminationsPerContext + " terminations");
        }
        var lease = changes.Media is { Listens: true } ? RentPort() : null;
        var created = false;
        MgTermination? added = null;
        try
        {
            if (context is null)
            {
                if (!_table.TryCreate(out context))
                {
                    CommandFailedException.Throw(H248ErrorCode.NoContextIdsAvailable, "the MG holds its maximum of " + _options.MaxContexts + " contexts");
                }
                created = true;
                _metrics?.ContextCreated();
            }
            var termination = new MgTermination(_table.NextTerminationId(), context!, _time.GetTimestamp()) { Lease = lease };
            lease = null;
            Apply(termination, changes);
            context!.Terminations.Add(termination);
            _table.Register(termination);
            added = termination;
            StartBearerIfReady(termination);
            var reply = new AmmsReply(AmmsKind.Add, [termination.Id], Returned(termination, changes));
            scope.Context = context;
            _metrics?.TerminationAdded();
            return reply;
        }
        catch
        {
            lease?.Dispose();
            if (added is not null)
            {
                // Only a fault of ours gets here (bearer creation is the last step and starts no I/O itself).
                added.Lease?.Dispose();
                if (added.Bearer is not null)
                {
                    await StopBearerAsync(added).ConfigureAwait(false);
                }
                added.Removed = true;
                context!.Terminations.Remove(added);
                _table.Unregister(added);
            }
            if (created && context!.Terminations.Count == 0)
            {
                _table.Remove(context);
                _metrics?.ContextRemoved();
            }
            throw;
        }
    }

    /// <summary>H.248.1 §7.2.2 Modify: the descriptors change the named terminations (<c>*</c>: all of the context).</summary>
    private async ValueTask ModifyAsync(ActionScope scope, AmmRequest modify, List<CommandReply> replies)
    {
        if (IsRoot(modify.TerminationIds))
        {
            // ROOT properties were validated against the profile; none of them changes the media plane.
            replies.Add(new AmmsReply(AmmsKind.Modify, modify.TerminationIds));
            return;
        }
        foreach (var termination in Resolve(scope, modify.TerminationIds))
        {
            using var logScope = _logger.BeginScope("Termination {TerminationId}", termination.Id);
            var changes = ReadChanges(modify.Descriptors, termination);
            await ChangeAsync(termination, changes).ConfigureAwait(false);
            replies.Add(new AmmsReply(AmmsKind.Modify, [termination.Id], Returned(termination, changes)));
        }
    }

    /// <summary>
    /// H.248.1 §7.2.3 Move: the termination leaves its context (which goes if it was the last) for the named one
    /// or a new one for <c>$</c>, with its connection. A relay it was in stops at a safe point (what was read
    /// reaches the other peer; the partner stays, alone, connected) and the destination's topology and modes
    /// apply to the relay it joins there. A participant of a conference (MRFP) is not moved (501).
    /// </summary>
    private async ValueTask<CommandReply> MoveAsync(ActionScope scope, AmmRequest move)
    {
        var id = Single(move.TerminationIds);
        var termination = _table.FindTermination(id);
        if (termination is null)
        {
            CommandFailedException.Throw(H248ErrorCode.UnknownTerminationId, "no termination " + id);
        }
        if (scope.Requested.IsNull)
        {
            CommandFailedException.Throw(H248ErrorCode.UnknownActionOrIllegalCombinationOfActions, "Move into the null context");
        }
        var target = scope.Context;
        if (target == termination.Context)
        {
            CommandFailedException.Throw(H248ErrorCode.TerminationIdAlreadyInContext, id + " is already in context " + target!.Id);
        }
        if (target is not null && target.Terminations.Count >= _options.MaxTerminationsPerContext)
        {
            CommandFailedException.Throw(H248ErrorCode.MaxTerminationsInContextExceeded,
                "context " + target.Id + " holds its maximum of " + _options.MaxTerminationsPerContext + " terminations");
        }
        if (termination.Pipes is not null)
        {
            CommandFailedException.Throw(H248ErrorCode.NotImplemented, "Move of a conference participant is not implemented");
        }
        var changes = ReadChanges(move.Descriptors, termination);
        if (target is null)
        {
            if (!_table.TryCreate(out target))
            {
                CommandFailedException.Throw(H248ErrorCode.NoContextIdsAvailable, "the MG holds its maximum of " + _options.MaxContexts + " contexts");
            }
            _metrics?.ContextCreated();
        }
        var source = termination.Context;
        if (termination.Side is not null && source.Relay is { } relay)
        {
            await SplitRelayAsync(source, relay).ConfigureAwait(false);
        }
        source.Forget(termination);
        source.Terminations.Remove(termination);
        if (source.Terminations.Count == 0)
        {
            await EndConferenceAsync(source).ConfigureAwait(false);
            _table.Remove(source);
            _metrics?.ContextRemoved();
        }
        termination.Context = target!;
        target!.Terminations.Add(termination);
        scope.Context = target;
        await ChangeAsync(termination, changes).ConfigureAwait(false);
        TryStartRelay(target);
        return new AmmsReply(AmmsKind.Move, [termination.Id], Returned(termination, changes));
    }

    /// <summary>
    /// H.248.1 §7.2.4 Subtract: releases the termination's bearer and port and returns its statistics (nt/os,
    /// nt/or, nt/dur) unless an empty Audit descriptor asks for none; the context goes with its last termination.
    /// One leg of a relayed pair leaves with the relay split (its partner stays connected, see SplitRelayAsync).
    /// </summary>
    private async ValueTask SubtractAsync(ActionScope scope, SubtractRequest subtract, List<CommandReply> replies)
    {
        var leaving = Resolve(scope, subtract.TerminationIds);
        // The whole context goes: no partner stays to keep connected, so its relay simply stops.
        var all = scope.Context is { } context && context.Terminations.TrueForAll(leaving.Contains);
        foreach (var termination in leaving)
        {
            await RemoveAsync(termination, partnerToo: all).ConfigureAwait(false);
            var returned = subtract.Audit is { Tokens: AuditTokens.None, Parameters.IsEmpty: true }
                ? (ValueList<Descriptor>?)null
                : Statistics(termination) is { } statistics ? [statistics] : null;
            replies.Add(new AmmsReply(AmmsKind.Subtract, [termination.Id], returned));
        }
    }

    /// <summary>
    /// H.248.1 §7.2.8 ServiceChange sent by the MGC for terminations: Forced, Graceful or Disconnected take
    /// them out of service (their bearer is released; nothing flows), Restart brings them back. ServiceChange
    /// on ROOT is registration, which the association handles.
    /// </summary>
    private async ValueTask ServiceChangeAsync(ActionScope scope, ServiceChangeRequest change, List<CommandReply> replies)
    {
        if (IsRoot(change.TerminationIds))
        {
            CommandFailedException.Throw(H248ErrorCode.NotImplemented, "ServiceChange on ROOT belongs to the association, not to the context engine");
        }
        var method = change.Parms.Method;
        if (method is not (ServiceChangeMethod.Forced or ServiceChangeMethod.Graceful or ServiceChangeMethod.Disconnected or ServiceChangeMethod.Restart))
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "ServiceChange method " + method + " does not apply to a termination");
        }
        foreach (var termination in Resolve(scope, change.TerminationIds))
        {
            await ChangeAsync(termination, new RequestedChanges
            {
                ServiceState = method == ServiceChangeMethod.Restart ? ServiceState.InService : ServiceState.OutOfService,
            }).ConfigureAwait(false);
            replies.Add(new ServiceChangeReply([termination.Id]));
        }
    }

    /// <summary>
    /// Reads and checks the descriptors of an Add, Modify or Move, without changing anything. The Local and
    /// Remote of <paramref name="existing"/> fill in for those the command leaves out.
    /// </summary>
    private RequestedChanges ReadChanges(ValueList<Descriptor> descriptors, MgTermination? existing)
    {
        var changes = new RequestedChanges();
        foreach (var descriptor in descriptors)
        {
            switch (descriptor)
            {
                case MediaDescriptor media:
                    ReadMedia(media, changes);
                    break;
                case EventsDescriptor events:
                    CheckDetectable(events);
                    changes.Events = events;
                    break;
                case SignalsDescriptor { Signals.IsEmpty: false }:
                    CommandFailedException.Throw(H248ErrorCode.MediaGatewayUnequippedToGenerateRequestedSignals, "the MG generates no signals on MSRP terminations");
                    break;
                case AuditDescriptor audit:
                    changes.Audit = audit;
                    break;
                case SignalsDescriptor or StatisticsDescriptor or EventBufferDescriptor { Events.IsEmpty: true }:
                    // No signals to stop; statistics are always kept; an empty buffer is what there is.
                    break;
                default:
                    CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownDescriptor,
                        descriptor.GetType().Name.Replace("Descriptor", "", StringComparison.Ordinal) + " descriptor does not apply to an MSRP termination");
                    break;
            }
        }
        var local = changes.Local ?? existing?.Media?.LocalRequested;
        var remote = changes.Remote ?? existing?.Remote;
        if ((changes.Local is not null || changes.Remote is not null) && local is not null)
        {
            changes.Media = TerminationMedia.Read(local, remote);
            // RFC 4145 §5: only what this command says counts; an a=connection kept from an earlier one is history.
            changes.NewConnection = (changes.Local is not null && changes.Media.LocalMedia.ConnectionAttribute == TcpConnectionAttribute.New)
                || (changes.Remote is not null && changes.Media.Remote?.ConnectionAttribute == TcpConnectionAttribute.New);
        }
        CheckTls(changes.Media ?? existing?.Media, changes.Psk ?? existing?.Psk);
        CheckLiveTls(existing, changes);
        return changes;
    }

    private void ReadMedia(MediaDescriptor media, RequestedChanges changes)
    {
        if (media.TerminationState is { ServiceState: { } state })
        {
            changes.ServiceState = state == ServiceState.Test ? ServiceState.InService : state;
        }
        var stream = media.Stream;
        foreach (var numbered in media.Streams)
        {
            // TS 29.334 §5.7: one stream per IP termination, StreamID 1.
            if (numbered.StreamId != 1 || stream is not null)
            {
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "an MSRP termination has one stream, StreamID 1");
            }
            stream = numbered.Parms;
        }
        if (stream is null)
        {
            return;
        }
        if (stream.LocalControl is { } control)
        {
            if (control.Mode == StreamMode.Loopback)
            {
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrInvalidMode, "loopback does not apply to a TCP relay");
            }
            changes.Mode = control.Mode;
            ReadTlsControl(control, changes);
            // H.248.37 IP NAPT traversal: any value but off latches.
            if (_validator.TryReadProperty(control.Properties, "ipnapt", "latch", out var latch))
            {
                changes.Latching = !latch.Is("off");
            }
        }
        changes.Local = stream.Local;
        changes.Remote = stream.Remote;
    }

    /// <summary>
    /// Contract: <c>tlsx/pskid</c> with <c>tlsx/psk</c> (hex) asks the MG to terminate TLS with that PSK
    /// (RFC 4279, RFC 8446 §4.2.11); <c>tlsx/minver</c> is the lowest version accepted. The profile has checked
    /// the types; the key is never put into an error text.
    /// </summary>
    private void ReadTlsControl(LocalControlDescriptor control, RequestedChanges changes)
    {
        var hasId = _validator.TryReadProperty(control.Properties, "tlsx", "pskid", out var identity);
        var hasKey = _validator.TryReadProperty(control.Properties, "tlsx", "psk", out var key);
        if (hasId != hasKey)
        {
            CommandFailedException.Throw(H248ErrorCode.RequiredInformationMissing, "tlsx/pskid and tlsx/psk go together");
        }
        if (hasId)
        {
            var identityBytes = System.Text.Encoding.UTF8.GetByteCount(identity.Text);
            if (identityBytes is 0 or > TlsPsk.MaxIdentityLength || key.Text.Length is 0 || key.Text.Length / 2 > TlsPsk.MaxKeyLength)
            {
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue,
                    "tlsx/pskid has 1 to " + TlsPsk.MaxIdentityLength + " octets and tlsx/psk 1 to " + TlsPsk.MaxKeyLength + " octets");
            }
            changes.Psk = new TlsPsk(identity.Text, Convert.FromHexString(key.Text));
        }
        if (_validator.TryReadProperty(control.Properties, "tlsx", "minver", out var minimum))
        {
            if (!TlsVersions.TryParse(minimum.Text.ToLowerInvariant(), out var version))
            {
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "tlsx/minver is tls12 or tls13");
            }
            changes.MinVersion = version;
        }
    }

    /// <summary>
    /// The TLS of a termination as the command leaves it must be one thing: a PSK only on TCP/TLS/MSRP and not
    /// with a certificate fingerprint as well; MSRP-aware mode over TLS only where the MG terminates it (it
    /// cannot rewrite paths inside an e2e TLS session).
    /// </summary>
    private static void CheckTls(TerminationMedia? media, TlsPsk? psk)
    {
        if (psk is not null && media is { LocalMedia.IsTls: false })
        {
            CommandFailedException.Throw(H248ErrorCode.ConflictingPropertyValues, "tlsx/pskid needs TCP/TLS/MSRP in Local");
        }
        if (psk is not null && media is { OwnFingerprintHash: not null })
        {
            CommandFailedException.Throw(H248ErrorCode.ConflictingPropertyValues, "a termination authenticates by a=fingerprint or by tlsx/pskid, not both");
        }
        if (media is { IsMsrpAware: true, LocalMedia.IsTls: true, OwnFingerprintHash: null } && psk is null)
        {
            CommandFailedException.Throw(H248ErrorCode.ConflictingPropertyValues,
                "MSRP-aware mode (a=path:$) over TCP/TLS/MSRP needs the MG to terminate TLS (a=fingerprint:<hash> $ or tlsx/pskid)");
        }
    }

    /// <summary>
    /// Events the MG can detect on an MSRP termination: the tcpx bearer events, adid/ipstop and adr/rsac;
    /// any other event the profile knows is H.248.8 512.
    /// </summary>
    private static void CheckDetectable(EventsDescriptor events)
    {
        foreach (var requested in events.Events)
        {
            var name = requested.Name;
            var detectable = name.Package.ToLowerInvariant() switch
            {
                "tcpx" or "tlsx" => true,
                "adid" => name.IsItemWildcard || string.Equals(name.Item, "ipstop", StringComparison.OrdinalIgnoreCase),
                "adr" => name.IsItemWildcard || string.Equals(name.Item, "rsac", StringComparison.OrdinalIgnoreCase),
                _ => false,
            };
            if (!detectable)
            {
                CommandFailedException.Throw(H248ErrorCode.MediaGatewayUnequippedToDetectRequestedEvent, "the MG does not detect " + name + " on MSRP terminations");
            }
        }
        if (events.RequestId is null && !events.Events.IsEmpty)
        {
            CommandFailedException.Throw(H248ErrorCode.SyntaxErrorInCommand, "Events descriptor without a RequestID");
        }
    }

    /// <summary>Applies checked changes to a termination; a leg that asks for the MG's fingerprint gets its certificate now.</summary>
    private void Apply(MgTermination termination, RequestedChanges changes)
    {
        termination.Psk = changes.Psk ?? termination.Psk;
        termination.MinVersion = changes.MinVersion ?? termination.MinVersion;
        termination.Mode = changes.Mode ?? termination.Mode;
        termination.Latching = changes.Latching ?? termination.Latching;
        termination.ServiceState = changes.ServiceState ?? termination.ServiceState;
        termination.Events = changes.Events is { } events ? (events.Events.IsEmpty ? null : events) : termination.Events;
        termination.Remote = changes.Remote ?? termination.Remote;
        termination.Media = changes.Media ?? termination.Media;
        if (termination.Media is { OwnFingerprintHash: not null } && termination.Certificate is null)
        {
            termination.Certificate = _certificates.ForSession();
        }
    }

    /// <summary>
    /// Applies checked changes to an existing termination: a changed bearer plan (role, peer, latching) replaces
    /// a bearer still establishing; an established connection stays as it is (RFC 4145 §5 <c>a=connection:existing</c>,
    /// or no a=connection: the MGC mirrors what SIP said) unless the command's Local or Remote says
    /// <c>a=connection:new</c>: then it is closed and a new one set up per the setup role, on a new port when the
    /// MG listens (the reply returns the filled Local). A relay it was in is split first, so its partner stays
    /// connected and the relay resumes once the new connection is up. A port needed and not rentable fails the
    /// command before anything changes.
    /// </summary>
    private async ValueTask ChangeAsync(MgTermination termination, RequestedChanges changes)
    {
        var media = changes.Media ?? termination.Media;
        var latching = changes.Latching ?? termination.Latching;
        var renew = changes.NewConnection && termination.Phase == BearerPhase.Established;
        // Equals, not ==: the endpoints compare by value.
        var replan = renew || (!PlanOf(termination.Media, termination.Latching).Equals(PlanOf(media, latching)) && termination.Phase != BearerPhase.Established);
        var wasInService = termination.ServiceState != ServiceState.OutOfService;
        var inService = (changes.ServiceState ?? termination.ServiceState) != ServiceState.OutOfService;
        var stop = (replan && termination.Bearer is not null) || (wasInService && !inService);
        var keepsPort = termination.Lease is not null || (termination.Phase == BearerPhase.Established && !renew)
            || (!stop && termination.Bearer?.ListenEndPoint is not null);
        // A failed or released bearer is tried again only when the plan changes or service is restored.
        var restart = replan || (!wasInService && inService) || termination.Phase == BearerPhase.None;
        var lease = restart && media is { Listens: true } && inService && !keepsPort ? RentPort() : null;

        if (stop)
        {
            await StopBearerAsync(termination).ConfigureAwait(false);
        }
        Apply(termination, changes);
        if (lease is not null)
        {
            termination.Lease = lease;
        }
        if (termination.Lease is { } held && (termination.Media is { Listens: false } || !inService))
        {
            held.Dispose();
            termination.Lease = null;
        }
        if (restart && termination.Phase != BearerPhase.Established)
        {
            termination.Phase = termination.Bearer is null ? BearerPhase.None : termination.Phase;
            StartBearerIfReady(termination);
        }
        UpdateFlow(termination.Context);
    }

    private static (SetupRole Role, System.Net.IPEndPoint? Remote, bool Latching) PlanOf(TerminationMedia? media, bool latching) =>
        media is not null ? (media.Role, media.RemoteEndPoint, latching) : (SetupRole.HoldConn, null, latching);

    private DataPath.BearerPortLease RentPort()
    {
        var rent = Ports.Rent();
        if (!rent.IsRented)
        {
            CommandFailedException.Throw(H248ErrorCode.InsufficientResources, "no bearer port free in " + Ports.FirstPort + ".." + Ports.LastPort);
        }
        return rent.Lease;
    }

    /// <summary>What an Add, Modify or Move returns: the filled Local when Local was sent, then any audited items.</summary>
    private ValueList<Descriptor>? Returned(MgTermination termination, RequestedChanges changes)
    {
        var returned = new List<Descriptor>(2);
        if ((changes.Local is not null || changes.NewConnection) && FilledLocal(termination) is { } local)
        {
            returned.Add(new MediaDescriptor(Stream: new StreamParms(Local: local)));
        }
        if (changes.Audit is { } audit)
        {
            returned.AddRange(AuditValues(termination, audit));
        }
        return returned.Count == 0 ? null : new ValueList<Descriptor>(returned);
    }

    /// <summary>
    /// The termination's Local as the MG fills it: address, port, setup role, MSRP-aware its own URI, and with
    /// TLS by certificate its certificate's fingerprint in the hash Local named.
    /// </summary>
    private LocalRemoteDescriptor? FilledLocal(MgTermination termination) =>
        termination.Media?.Filled(_address, termination.LocalPort, OwnUri(termination),
            termination.Media.OwnFingerprintHash is { } hash ? termination.Certificate?.Fingerprint(hash) : null);

    /// <summary>The leg's MSRP URI as first announced; made anew only when the leg changes between msrp and msrps.</summary>
    private string OwnUri(MgTermination termination)
    {
        var secure = termination.Media is { LocalMedia.IsTls: true };
        if (termination.OwnUri is not { } uri || uri.StartsWith("msrps:", StringComparison.Ordinal) != secure)
        {
            termination.OwnUri = uri = TerminationMedia.OwnUri(_address, termination.LocalPort, termination.SessionId, secure);
        }
        return uri;
    }

    private StatisticsDescriptor? Statistics(MgTermination termination)
    {
        if (!_validator.TryGetPackage("nt", out _))
        {
            return null;
        }
        var duration = (long)_time.GetElapsedTime(termination.Created).TotalMilliseconds;
        return new StatisticsDescriptor(
        [
            new StatisticsParameter(OctetsSent, [Invariant(termination.OctetsSent)]),
            new StatisticsParameter(OctetsReceived, [Invariant(termination.OctetsReceived)]),
            new StatisticsParameter(Duration, [Invariant(duration)]),
        ]);
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The terminations a command names in the action's context: an id (H.248.8 430 when unknown, 435 when
    /// in another context) or <c>*</c> for all of the context (431 when it holds none).
    /// </summary>
    private List<MgTermination> Resolve(ActionScope scope, ValueList<TerminationId> ids)
    {
        var found = new List<MgTermination>(2);
        foreach (var id in ids)
        {
            if (id.HasChoose)
            {
                CommandFailedException.Throw(H248ErrorCode.IncorrectIdentifier, "$ chooses a termination only in Add");
            }
            if (id.HasAll)
            {
                if (scope.Context is null || scope.Context.Terminations.Count == 0)
                {
                    CommandFailedException.Throw(H248ErrorCode.NoTerminationIdMatchedWildcard, id + " matches no termination in context " + scope.ReplyId);
                }
                found.AddRange(scope.Context.Terminations.Where(t => Matches(id, t.Id)));
                continue;
            }
            var termination = _table.FindTermination(id);
            if (termination is null)
            {
                CommandFailedException.Throw(H248ErrorCode.UnknownTerminationId, "no termination " + id);
            }
            if (termination.Context != scope.Context)
            {
                CommandFailedException.Throw(H248ErrorCode.TerminationIdNotInSpecifiedContext, id + " is not in context " + scope.ReplyId);
            }
            found.Add(termination);
        }
        if (found.Count == 0)
        {
            CommandFailedException.Throw(H248ErrorCode.NoTerminationIdMatchedWildcard, "no termination matched");
        }
        return found;
    }

    /// <summary><c>*</c> or <c>msrp/*</c>: a wildcard over the ids of this MG.</summary>
    private static bool Matches(TerminationId wildcard, TerminationId id) =>
        wildcard.Text == "*" || (wildcard.Text.EndsWith("/*", StringComparison.Ordinal)
            && id.Text.StartsWith(wildcard.Text[..^1], StringComparison.OrdinalIgnoreCase));

    private static TerminationId Single(ValueList<TerminationId> ids)
    {
        if (ids.Count != 1)
        {
            CommandFailedException.Throw(H248ErrorCode.SyntaxErrorInCommand, "the command names " + ids.Count + " terminations, not one");
        }
        return ids[0];
    }

    private static bool IsChoose(TerminationId id) =>
        id.Text == "$" || string.Equals(id.Text, ContextTable.TerminationPrefix + "$", StringComparison.OrdinalIgnoreCase);

    private static bool IsRoot(ValueList<TerminationId> ids) => ids.Count == 1 && ids[0].IsRoot;

    /// <summary>
    /// H.248.1 §7.1.18 topology, priority and emergency, applied after the action's commands so that a
    /// triple may name a termination the same action added.
    /// </summary>
    private void ApplyContextProperties(ActionScope scope, ContextRequest properties)
    {
        var context = scope.Context;
        if (context is null)
        {
            CommandFailedException.Throw(H248ErrorCode.UnknownActionOrIllegalCombinationOfActions, "context properties need a context");
        }
        if (!properties.ContextProperties.IsEmpty)
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownProperty, "the profile defines no context properties");
        }
        foreach (var triple in properties.Topology)
        {
            if (triple.Direction is not (TopologyDirection.Bothway or TopologyDirection.Isolate or TopologyDirection.Oneway) || triple.Extension is not null)
            {
                CommandFailedException.Throw(H248ErrorCode.NotImplemented, "topology direction " + (triple.Extension ?? triple.Direction) + " is not implemented");
            }
            var from = InContext(scope, triple.From);
            var to = InContext(scope, triple.To);
            foreach (var a in from)
            {
                foreach (var b in to)
                {
                    if (a != b)
                    {
                        context.SetTopology(a, b, triple.Direction);
                    }
                }
            }
        }
        context.Priority = properties.Priority ?? context.Priority;
        context.Emergency = properties.Emergency ?? context.Emergency;
        UpdateFlow(context);
    }

    private List<MgTermination> InContext(ActionScope scope, TerminationId id) =>
        Resolve(scope, [id]);

    private static ContextRequest AuditContext(ActionScope scope, ContextAttrAuditRequest audit)
    {
        var context = scope.Context;
        if (context is null)
        {
            CommandFailedException.Throw(H248ErrorCode.UnknownActionOrIllegalCombinationOfActions, "context audit needs a context");
        }
        return new ContextRequest(
            Topology: audit.Topology ? new ValueList<TopologyTriple>(context.Topology()) : default,
            Priority: audit.Priority ? context.Priority ?? 0 : null,
            Emergency: audit.Emergency ? context.Emergency : null);
    }
}
