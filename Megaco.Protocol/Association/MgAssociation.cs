using System.Threading.Channels;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Protocol.Association;

/// <summary>
/// The MG's side of the control association (H.248.1 clause 11) over one <see cref="TransactionManager"/>:
/// registers by ServiceChange Restart on ROOT with the MGCs of its list in order, negotiates the protocol version
/// (§11.3) and the profile (H.248.18), follows MgcIdToTry and ServiceChangeAddress, retries the list with a bounded
/// back-off, re-registers with method Disconnected after losing contact (§11.5), keeps the H.248.14 <c>it/ito</c>
/// heartbeat the MGC asks for, obeys the MGC's ROOT ServiceChanges (HandOff, Forced, Graceful), and says goodbye
/// with Graceful or Forced at <see cref="StopAsync"/>. Every other request goes to the <see cref="IMgUser"/>.
/// </summary>
public sealed partial class MgAssociation : IMegacoUser, IAsyncDisposable
{
    private readonly MgAssociationOptions _options;
    private readonly IMgUser _user;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransactionManager _manager;
    private readonly PeerFilter _listed;
    private readonly Lock _gate = new();
    private readonly Channel<Trigger> _triggers = Channel.CreateBounded<Trigger>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<MgAssociationChange> _changes = Channel.CreateUnbounded<MgAssociationChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _registering = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly ITimer _inactivityTimer;
    private Task _loop = Task.CompletedTask;
    private Task _notifier = Task.CompletedTask;
    private MgAssociationState _state = MgAssociationState.Idle;
    private Registration? _registration;
    private MegacoEndpoint? _target;
    private int _generation;
    private uint? _inactivityRequestId;
    private TimeSpan _maxInactivity;
    private long _lastHeard;

    public MgAssociation(IMegacoTransport transport, TransactionOptions transactionOptions, MgAssociationOptions options, IMgUser user,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, uint firstTransactionId = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(user);
        if (options.Mgcs.IsEmpty)
        {
            throw new ArgumentException("at least one MGC is needed", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Version, 3);
        ArgumentNullException.ThrowIfNull(transport);
        if (options.Mgcs.AsSpan().ToArray().FirstOrDefault(m => m.Transport != transport.LocalEndpoint.Transport) is { } other)
        {
            throw new ArgumentException($"MGC {other} is not reachable over the {transport.LocalEndpoint.Transport} transport", nameof(options));
        }
        _options = options;
        _user = user;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<MgAssociation>() ?? (ILogger)NullLogger.Instance;
        _listed = PeerFilterFor(options);
        _inactivityTimer = _time.CreateTimer(static state => ((MgAssociation)state!).OnInactivityTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _manager = new TransactionManager(transport, this, transactionOptions, _time, loggerFactory?.CreateLogger<TransactionManager>(), firstTransactionId);
    }

    /// <summary>The filter the transport should be built with: messages from anyone but the listed MGCs are dropped
    /// and logged there (issue 4). An MGC reached by MgcIdToTry or handoff must be listed too to be heard.</summary>
    public static PeerFilter PeerFilterFor(MgAssociationOptions options) => PeerFilter.Only(options.Mgcs);

    public MgAssociationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Where requests go while registered: the MGC, or the ServiceChangeAddress it replied with.</summary>
    public MegacoEndpoint? Mgc
    {
        get
        {
            lock (_gate)
            {
                return _state == MgAssociationState.Registered ? _registration?.Control : null;
            }
        }
    }

    /// <summary>The negotiated protocol version (0 when not registered).</summary>
    public int Version
    {
        get
        {
            lock (_gate)
            {
                return _state == MgAssociationState.Registered ? _registration?.Version ?? 0 : 0;
            }
        }
    }

    public ServiceChangeProfile? Profile
    {
        get
        {
            lock (_gate)
            {
                return _state == MgAssociationState.Registered ? _registration?.Profile : null;
            }
        }
    }

    internal TransactionManager Manager => _manager;

    /// <summary>Starts receiving and registering. Call once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_state != MgAssociationState.Idle)
            {
                throw new InvalidOperationException("already started");
            }
            _state = MgAssociationState.Registering;
        }
        _manager.Start();
        _notifier = Task.Run(() => NotifyLoopAsync(_disposing.Token), CancellationToken.None);
        _loop = Task.Run(() => RunAsync(_registering.Token), CancellationToken.None);
    }

    /// <summary>
    /// Sends a request (a Notify of a termination's event, say) to the current MGC in the negotiated version.
    /// Fails at once with <see cref="TransactionFailure.NotAssociated"/> when not registered; a request the MGC
    /// never answers counts as lost contact and starts re-registration.
    /// </summary>
    public async Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken)
    {
        Registration registration;
        int generation;
        lock (_gate)
        {
            if (_state != MgAssociationState.Registered || _registration is null)
            {
                return new TransactionResult(0, null, TransactionFailure.NotAssociated);
            }
            registration = _registration;
            generation = _generation;
        }
        var result = await _manager.SendRequestAsync(registration.Control, registration.Version, actions, cancellationToken).ConfigureAwait(false);
        OnOutcome(result, generation, "request");
        return result;
    }

    /// <summary>
    /// Takes the MG out of service (H.248.1 §7.2.8): ServiceChange on ROOT with method Graceful (the MGC has
    /// <paramref name="delay"/> to clear its calls; the MG waits that long before returning) or Forced (at once),
    /// reason 905. Registration stops first. The result is the MGC's answer, or NotAssociated when not registered;
    /// cancelling stops the wait (the state is Stopped all the same).
    /// </summary>
    public async Task<TransactionResult> StopAsync(bool graceful, TimeSpan delay, CancellationToken cancellationToken)
    {
        await _registering.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Registration? registration;
        lock (_gate)
        {
            registration = _state == MgAssociationState.Registered ? _registration : null;
            _inactivityRequestId = null;
            _inactivityTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        var result = new TransactionResult(0, null, TransactionFailure.NotAssociated);
        try
        {
            if (registration is not null)
            {
                var seconds = graceful ? (uint)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, uint.MaxValue) : 0;
                var parm = new ServiceChangeParm(graceful ? ServiceChangeMethod.Graceful : ServiceChangeMethod.Forced,
                    ServiceChangeReasons.TerminationTakenOutOfService, Delay: graceful && seconds > 0 ? seconds : null);
                LogStopping(registration.Control, parm.Method);
                result = await _manager.SendRequestAsync(registration.Control, registration.Version, RootCommands.ServiceChange(parm), cancellationToken).ConfigureAwait(false);
                if (graceful && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Stopped even when the caller gave up waiting for the MGC's answer or the delay.
            SetState(MgAssociationState.Stopped, registration, graceful ? "graceful shutdown" : "forced shutdown");
        }
        return result;
    }

    /// <summary>Receives, registers and sends no more (no ServiceChange: use <see cref="StopAsync"/> for that).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }
        await _registering.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _manager.DisposeAsync().ConfigureAwait(false);
        await _inactivityTimer.DisposeAsync().ConfigureAwait(false);
        _changes.Writer.TryComplete();
        await _notifier.ConfigureAwait(false);
        await _disposing.CancelAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var plan = new Plan(ServiceChangeMethod.Restart, _options.RestartReason, null, 0);
        try
        {
            while (true)
            {
                var registration = await RegisterAsync(plan, cancellationToken).ConfigureAwait(false);
                int generation;
                lock (_gate)
                {
                    _generation++;
                    generation = _generation;
                    _registration = registration;
                    _lastHeard = _time.GetTimestamp();
                    if (_inactivityRequestId is not null)
                    {
                        // The MGC asked for it/ito before its registration reply was processed here.
                        _inactivityTimer.Change(_maxInactivity, Timeout.InfiniteTimeSpan);
                    }
                }
                LogRegistered(registration.Mgc, registration.Control, registration.Version, registration.Profile?.ToString() ?? "none", registration.Method);
                SetState(MgAssociationState.Registered, registration, $"registered by {registration.Method}");
                Trigger trigger;
                do
                {
                    trigger = await _triggers.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                while (trigger.Generation != generation);
                lock (_gate)
                {
                    _inactivityRequestId = null;
                    _inactivityTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
                LogLost(registration.Control, trigger.Kind, trigger.Detail);
                SetState(MgAssociationState.Lost, registration, trigger.Detail);
                plan = trigger.Kind switch
                {
                    // H.248.1 §11.5: Disconnected, first to the MGC last in contact, keeping the contexts.
                    TriggerKind.Lost => new Plan(ServiceChangeMethod.Disconnected, ServiceChangeReasons.ServiceRestored, registration.Mgc, 0),
                    // H.248.1 §7.2.8 HandOff: register with the MGC named in MgcIdToTry with method HandOff; §11.5: when
                    // that MGC cannot be reached, the MG has lost its MGC and re-registers with Disconnected, first with
                    // the MGC last in contact, then through its list.
                    TriggerKind.HandOff => new Plan(ServiceChangeMethod.HandOff, ServiceChangeReasons.MgcDirectedChange, trigger.Target, 0,
                        new Plan(ServiceChangeMethod.Disconnected, ServiceChangeReasons.ServiceRestored, registration.Mgc, 0)),
                    // The MGC goes out of service: fail over to the next MGC of the list.
                    _ => new Plan(ServiceChangeMethod.Failover, ServiceChangeReasons.MgcImpendingFailure, null, IndexInList(registration.Mgc) + 1),
                };
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // StopAsync or DisposeAsync.
        }
    }

    /// <summary>Rounds through the candidates until one accepts, waiting a doubling back-off between rounds.</summary>
    private async Task<Registration> RegisterAsync(Plan plan, CancellationToken cancellationToken)
    {
        var delay = _options.RetryInitialDelay;
        await WaitRandomAsync(cancellationToken).ConfigureAwait(false);
        if (plan is { Fallback: { } fallback, Preferred: { } only })
        {
            // Only the named MGC is tried with this plan's method; anything after it is the fallback's.
            if (await TryRegisterAsync(only, plan, cancellationToken).ConfigureAwait(false) is { } directed)
            {
                return directed;
            }
            LogFallingBack(only, plan.Method, fallback.Method);
            plan = fallback;
        }
        while (true)
        {
            foreach (var candidate in Candidates(plan))
            {
                if (await TryRegisterAsync(candidate, plan, cancellationToken).ConfigureAwait(false) is { } registration)
                {
                    return registration;
                }
            }
            LogAllFailed(_options.Mgcs.Count, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            await WaitRandomAsync(cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
        }
    }

    /// <summary>A random wait up to the maximum waiting delay, against restart avalanches.</summary>
    private Task WaitRandomAsync(CancellationToken cancellationToken) =>
        _options.MaxWaitingDelay > TimeSpan.Zero
            ? Task.Delay(_options.MaxWaitingDelay * Random.Shared.NextDouble(), _time, cancellationToken)
            : Task.CompletedTask;

    private List<MegacoEndpoint> Candidates(Plan plan)
    {
        var candidates = new List<MegacoEndpoint>(_options.Mgcs.Count + 1);
        if (plan.Preferred is { } preferred)
        {
            candidates.Add(preferred);
        }
        for (var i = 0; i < _options.Mgcs.Count; i++)
        {
            var mgc = _options.Mgcs[(plan.StartIndex + i) % _options.Mgcs.Count];
            if (!candidates.Contains(mgc))
            {
                candidates.Add(mgc);
            }
        }
        return candidates;
    }

    private int IndexInList(MegacoEndpoint mgc)
    {
        for (var i = 0; i < _options.Mgcs.Count; i++)
        {
            if (_options.Mgcs[i].Equals(mgc))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>One MGC: offers the profiles in turn after 461, follows MgcIdToTry; null when it will not have us.</summary>
    private async Task<Registration?> TryRegisterAsync(MegacoEndpoint mgc, Plan plan, CancellationToken cancellationToken)
    {
        var target = mgc;
        var redirects = 0;
        var profileIndex = 0;
        while (true)
        {
            lock (_gate)
            {
                _state = MgAssociationState.Registering;
                _target = target;
            }
            var offered = _options.Profiles.IsEmpty ? null : _options.Profiles[profileIndex];
            var address = _options.AnnounceAddress && _manager.Transport.LocalEndpoint.Transport == MegacoTransportKind.Udp
                ? new ServiceChangeAddress(Port: (ushort)_manager.Transport.LocalEndpoint.EndPoint.Port)
                : null;
            // H.248.1 §11.3: the offered version travels in ServiceChangeVersion and the message header alike.
            var parm = new ServiceChangeParm(plan.Method, plan.Reason, Address: address, Profile: offered, Version: (ushort)_options.Version);
            LogRegistering(target, plan.Method, _options.Version, offered?.ToString() ?? "none");
            var result = await _manager.SendRequestAsync(target, _options.Version, RootCommands.ServiceChange(parm), cancellationToken).ConfigureAwait(false);
            if (result.Reply is not { } reply)
            {
                LogRegistrationFailed(target, result.Failure.ToString());
                return null;
            }
            var (answer, error) = RootCommands.ReadServiceChangeReply(reply);
            if (error is not null)
            {
                // H.248.18: 461 refuses the profile offered, so the next one is offered.
                if (error.Code == (ushort)H248ErrorCode.UnsupportedOrUnknownProfile && profileIndex + 1 < _options.Profiles.Count)
                {
                    profileIndex++;
                    continue;
                }
                LogRegistrationFailed(target, $"error {error.Code} {error.Text}");
                return null;
            }
            if (answer?.MgcIdToTry is { } mgcIdToTry)
            {
                // H.248.1 §7.2.8: the MGC sends the MG to another MGC to register with.
                var next = redirects++ < _options.MaxRedirects ? await ResolveAsync(mgcIdToTry, target, cancellationToken).ConfigureAwait(false) : null;
                if (next is not null && !next.Equals(target))
                {
                    LogRedirected(target, next);
                    target = next;
                    continue;
                }
                LogRegistrationFailed(target, $"redirect to {mgcIdToTry.Address} not followed");
                return null;
            }
            // H.248.1 §11.3: the MGC replies with the version to use when it supports only a lower one.
            var version = Math.Clamp(answer?.Version ?? _options.Version, 1, _options.Version);
            var profile = offered;
            if (answer?.Profile is { } proposed && !SameProfile(proposed, offered))
            {
                profile = _options.Profiles.IsEmpty ? proposed : FindProfile(proposed);
                if (profile is null)
                {
                    LogRegistrationFailed(target, $"profile {proposed} proposed, not one of ours");
                    return null;
                }
            }
            var control = answer?.Address is { } replied
                ? await MIdAddresses.ApplyAsync(replied, target, _options.Resolver, _options.ResolveTimeout, cancellationToken).ConfigureAwait(false)
                : target;
            return new Registration(target, control, version, profile, plan.Method);
        }
    }

    private ServiceChangeProfile? FindProfile(ServiceChangeProfile proposed)
    {
        foreach (var profile in _options.Profiles)
        {
            if (SameProfile(proposed, profile))
            {
                return profile;
            }
        }
        return null;
    }

    /// <summary>H.248.1 Annex B: profile names are case-insensitive (Erlang lower-cases them); a missing version matches any.</summary>
    private static bool SameProfile(ServiceChangeProfile proposed, ServiceChangeProfile? offered) =>
        offered is not null
        && string.Equals(proposed.Name, offered.Name, StringComparison.OrdinalIgnoreCase)
        && (proposed.Version is null || offered.Version is null || proposed.Version == offered.Version);

    async ValueTask<TransactionAnswer> IMegacoUser.HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        if (!IsFromMgc(request.Peer))
        {
            // Defence behind the transport's filter: a redirect target may share an address with strangers over TCP.
            LogStranger(request.Peer, request.Request.TransactionId);
            return TransactionAnswer.Failed(H248ErrorCode.CommandReceivedFromUnauthorizedEntity, "not this MG's MGC");
        }
        Heard();
        if (RootCommands.RootServiceChange(request.Request) is { } serviceChange)
        {
            return await OnMgcServiceChangeAsync(request.Peer, serviceChange, cancellationToken).ConfigureAwait(false);
        }
        if (RootCommands.IsInactivityTimerRequest(request.Request, out var requestId, out var maxInactivity))
        {
            return OnInactivityTimerRequest(requestId, maxInactivity);
        }
        return await _user.HandleRequestAsync(request, cancellationToken).ConfigureAwait(false);
    }

    async ValueTask IMegacoUser.OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken)
    {
        if (megacoEvent.Kind == MegacoEventKind.ConnectionLost)
        {
            int generation;
            bool current;
            lock (_gate)
            {
                generation = _generation;
                current = _state == MgAssociationState.Registered && _registration!.Control.Equals(megacoEvent.Peer);
            }
            if (current)
            {
                // H.248.1 Annex D.2: a lost TCP connection ends the association; re-register.
                Post(new Trigger(TriggerKind.Lost, generation, null, "connection lost: " + megacoEvent.Detail));
            }
        }
        await _user.OnEventAsync(megacoEvent, cancellationToken).ConfigureAwait(false);
    }

    private Task<MegacoEndpoint?> ResolveAsync(MId mid, MegacoEndpoint over, CancellationToken cancellationToken) =>
        MIdAddresses.ResolveAsync(mid, over, _options.Resolver, _options.ResolveTimeout, cancellationToken);

    private async Task<TransactionAnswer> OnMgcServiceChangeAsync(MegacoEndpoint peer, ServiceChangeParm parm, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            // The MGC may act on the registration before its reply is processed here: then the order is for the
            // registration about to be taken.
            generation = _state == MgAssociationState.Registering && _target is not null && SamePeer(_target, peer) ? _generation + 1 : _generation;
        }
        LogMgcServiceChange(peer, parm.Method, parm.Reason ?? "");
        switch (parm.Method)
        {
            case ServiceChangeMethod.HandOff:
                if (parm.MgcIdToTry is not { } mid || await ResolveAsync(mid, peer, cancellationToken).ConfigureAwait(false) is not { } target)
                {
                    return RootCommands.ServiceChangeRefused(H248ErrorCode.IncorrectIdentifier, "HandOff without a usable MgcIdToTry");
                }
                Post(new Trigger(TriggerKind.HandOff, generation, target, $"handed off to {target}"));
                break;
            case ServiceChangeMethod.Forced:
                Post(new Trigger(TriggerKind.Failover, generation, null, $"MGC out of service (Forced {parm.Reason})"));
                break;
            case ServiceChangeMethod.Graceful:
                _ = PostLaterAsync(new Trigger(TriggerKind.Failover, generation, null, $"MGC out of service (Graceful {parm.Reason})"),
                    TimeSpan.FromSeconds(Math.Min(parm.Delay ?? 0, _options.MaxGracefulDelay.TotalSeconds)));
                break;
            default:
                // An MGC that restarted or moved says where to send from now on (H.248.1 §11.4).
                if (parm.MgcIdToTry is { } moved && await ResolveAsync(moved, peer, cancellationToken).ConfigureAwait(false) is { } movedTo)
                {
                    Post(new Trigger(TriggerKind.HandOff, generation, movedTo, $"MGC moved to {movedTo}"));
                }
                else if (parm.Address is { } address)
                {
                    MegacoEndpoint? control;
                    lock (_gate)
                    {
                        control = _registration is not null && generation == _generation ? _registration.Control : null;
                    }
                    if (control is not null)
                    {
                        var applied = await MIdAddresses.ApplyAsync(address, control, _options.Resolver, _options.ResolveTimeout, cancellationToken).ConfigureAwait(false);
                        lock (_gate)
                        {
                            if (_registration is not null && generation == _generation)
                            {
                                _registration = _registration with { Control = applied };
                            }
                        }
                    }
                }
                break;
        }
        return RootCommands.ServiceChangeAccepted();
    }

    private TransactionAnswer OnInactivityTimerRequest(uint? requestId, TimeSpan? maxInactivity)
    {
        lock (_gate)
        {
            _inactivityRequestId = requestId;
            if (requestId is null)
            {
                _inactivityTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            else
            {
                // H.248.14: mit is optional, with a provisioned default; a very small one is raised to the floor.
                var requested = maxInactivity ?? _options.DefaultMaxInactivity;
                _maxInactivity = requested < _options.MinMaxInactivity ? _options.MinMaxInactivity
                    : requested > _options.MaxMaxInactivity ? _options.MaxMaxInactivity
                    : requested;
                _inactivityTimer.Change(_maxInactivity, Timeout.InfiniteTimeSpan);
            }
        }
        LogInactivityTimer(requestId, maxInactivity ?? _options.DefaultMaxInactivity);
        return RootCommands.RootModified();
    }

    /// <summary>H.248.14: when nothing came from the MGC for mit, Notify it/ito; no answer means the MGC is lost.</summary>
    private void OnInactivityTimer()
    {
        uint requestId;
        Registration registration;
        int generation;
        lock (_gate)
        {
            if (_inactivityRequestId is not { } id || _state != MgAssociationState.Registered || _registration is null)
            {
                return;
            }
            var silent = _time.GetElapsedTime(_lastHeard);
            if (silent < _maxInactivity)
            {
                _inactivityTimer.Change(_maxInactivity - silent, Timeout.InfiniteTimeSpan);
                return;
            }
            requestId = id;
            registration = _registration;
            generation = _generation;
        }
        _ = SendHeartbeatAsync(registration, requestId, generation);
    }

    private async Task SendHeartbeatAsync(Registration registration, uint requestId, int generation)
    {
        LogHeartbeat(registration.Control);
        TransactionResult result;
        try
        {
            result = await _manager.SendRequestAsync(registration.Control, registration.Version, RootCommands.InactivityNotify(requestId), _registering.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        OnOutcome(result, generation, "it/ito Notify");
        if (result.HasReply)
        {
            lock (_gate)
            {
                if (generation == _generation && _inactivityRequestId == requestId)
                {
                    _inactivityTimer.Change(_maxInactivity, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>A reply shows the MGC alive; no reply after every retransmission, or a lost connection, shows it gone.</summary>
    private void OnOutcome(TransactionResult result, int generation, string what)
    {
        if (result.HasReply)
        {
            Heard();
        }
        else if (result.Failure is TransactionFailure.Timeout or TransactionFailure.ConnectionLost or TransactionFailure.SendFailed)
        {
            Post(new Trigger(TriggerKind.Lost, generation, null, $"no answer to {what} ({result.Failure})"));
        }
    }

    private void Heard()
    {
        lock (_gate)
        {
            _lastHeard = _time.GetTimestamp();
        }
    }

    private bool IsFromMgc(MegacoEndpoint peer)
    {
        if (_listed.IsAllowed(peer.Transport, peer.EndPoint))
        {
            return true;
        }
        lock (_gate)
        {
            return (_target is not null && SamePeer(_target, peer))
                || (_registration is not null && (SamePeer(_registration.Mgc, peer) || SamePeer(_registration.Control, peer)));
        }
    }

    /// <summary>As <see cref="PeerFilter"/>: over TCP by address (the peer connects from any port), over UDP by address and port.</summary>
    private static bool SamePeer(MegacoEndpoint known, MegacoEndpoint peer) =>
        known.Transport == peer.Transport && (known.Transport == MegacoTransportKind.Udp
            ? Normalise(known).Equals(Normalise(peer))
            : Normalise(known).Address.Equals(Normalise(peer).Address));

    private static System.Net.IPEndPoint Normalise(MegacoEndpoint endpoint) =>
        endpoint.EndPoint.Address.IsIPv4MappedToIPv6 ? new System.Net.IPEndPoint(endpoint.EndPoint.Address.MapToIPv4(), endpoint.EndPoint.Port) : endpoint.EndPoint;

    private void Post(Trigger trigger) => _triggers.Writer.TryWrite(trigger);

    private async Task PostLaterAsync(Trigger trigger, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _registering.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Post(trigger);
    }

    private void SetState(MgAssociationState state, Registration? registration, string detail)
    {
        lock (_gate)
        {
            _state = state;
        }
        _changes.Writer.TryWrite(new MgAssociationChange(state, registration?.Control, registration?.Version ?? 0, registration?.Profile, registration?.Method, detail));
    }

    private async Task NotifyLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var change in _changes.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await _user.OnAssociationChangedAsync(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogUserFailed(change.State, e);
            }
        }
    }

    /// <summary>An accepted registration: where the ServiceChange went, where requests go, and what was agreed.</summary>
    private sealed record Registration(MegacoEndpoint Mgc, MegacoEndpoint Control, int Version, ServiceChangeProfile? Profile, ServiceChangeMethod Method);

    /// <summary>How to register next: method and reason, a first MGC to try, then the list from <see cref="StartIndex"/>.</summary>
    /// <summary>How to register: the method and reason, the MGC to try first, where in the list to start, and for a
    /// directed registration (HandOff) the plan to follow when <see cref="Preferred"/> will not have the MG.</summary>
    private sealed record Plan(ServiceChangeMethod Method, string Reason, MegacoEndpoint? Preferred, int StartIndex, Plan? Fallback = null);

    private enum TriggerKind : byte
    {
        Lost,
        HandOff,
        Failover,
    }

    /// <summary>Why the registration of <see cref="Generation"/> ends; a trigger of an older registration is ignored.</summary>
    private sealed record Trigger(TriggerKind Kind, int Generation, MegacoEndpoint? Target, string Detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Mgc} did not take the MG by {Method}: registering by {Fallback}")]
    private partial void LogFallingBack(MegacoEndpoint mgc, ServiceChangeMethod method, ServiceChangeMethod fallback);

    [LoggerMessage(Level = LogLevel.Information, Message = "ServiceChange {Method} to {Mgc}, version {Version}, profile {Profile}")]
    private partial void LogRegistering(MegacoEndpoint mgc, ServiceChangeMethod method, int version, string profile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with {Mgc} (requests to {Control}), version {Version}, profile {Profile}, by {Method}")]
    private partial void LogRegistered(MegacoEndpoint mgc, MegacoEndpoint control, int version, string profile, ServiceChangeMethod method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registration with {Mgc} failed: {Reason}")]
    private partial void LogRegistrationFailed(MegacoEndpoint mgc, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Mgc} redirects to {Next} (MgcIdToTry)")]
    private partial void LogRedirected(MegacoEndpoint mgc, MegacoEndpoint next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No MGC of {Count} accepted the registration; next round in {Delay}")]
    private partial void LogAllFailed(int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association with {Mgc} ended ({Kind}): {Detail}")]
    private partial void LogLost(MegacoEndpoint mgc, TriggerKind kind, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "ServiceChange {Method} to {Mgc}")]
    private partial void LogStopping(MegacoEndpoint mgc, ServiceChangeMethod method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped transaction {TransactionId} from {Peer}: not an MGC of this MG")]
    private partial void LogStranger(MegacoEndpoint peer, uint transactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ServiceChange {Method} from the MGC at {Peer}, reason {Reason}")]
    private partial void LogMgcServiceChange(MegacoEndpoint peer, ServiceChangeMethod method, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inactivity timer (it/ito) request {RequestId}, {MaxInactivity}")]
    private partial void LogInactivityTimer(uint? requestId, TimeSpan maxInactivity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Nothing from {Mgc} within the inactivity time: Notify it/ito")]
    private partial void LogHeartbeat(MegacoEndpoint mgc);

    [LoggerMessage(Level = LogLevel.Error, Message = "The user's handler of association change {State} failed")]
    private partial void LogUserFailed(MgAssociationState state, Exception exception);
}
