using System.Threading.Channels;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Protocol.Association;

/// <summary>
/// The MGC's side of the control association (H.248.1 clause 11) over one <see cref="TransactionManager"/>: answers
/// MG registrations (ServiceChange on ROOT with Restart, Disconnected, Failover or HandOff) with the agreed version
/// (§11.3) and profile (or 461), keeps a registry of MGs reachable through <see cref="RegisteredMg"/>, finds silent
/// MGs (H.248.14 <c>it/ito</c> heartbeat and an AuditValue of ROOT), tells the user of an MG's restart (its contexts
/// are gone) and loss, and hands MGs to other MGCs. Other requests from registered MGs go to the <see cref="IMgcUser"/>.
/// </summary>
public sealed partial class MgcRegistry : IMegacoUser, IAsyncDisposable
{
    private readonly MgcRegistryOptions _options;
    private readonly IMgcUser _user;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransactionManager _manager;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RegisteredMg> _mgs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known;
    private readonly Channel<Notification> _notifications = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _notifier = Task.CompletedTask;

    public MgcRegistry(IMegacoTransport transport, TransactionOptions transactionOptions, MgcRegistryOptions options, IMgcUser user,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Version, 3);
        _options = options;
        _user = user;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<MgcRegistry>() ?? (ILogger)NullLogger.Instance;
        _known = [.. options.KnownMgs.Select(Key)];
        _manager = new TransactionManager(transport, this, transactionOptions, _time, loggerFactory?.CreateLogger<TransactionManager>());
    }

    /// <summary>Every MG known, registered or not.</summary>
    public IReadOnlyList<RegisteredMg> Mgs
    {
        get
        {
            lock (_gate)
            {
                return [.. _mgs.Values];
            }
        }
    }

    internal TransactionManager Manager => _manager;

    /// <summary>The MG with this mId, or null.</summary>
    public RegisteredMg? Find(MId mid)
    {
        lock (_gate)
        {
            return _mgs.GetValueOrDefault(Key(mid));
        }
    }

    /// <summary>Starts receiving. Call once.</summary>
    public void Start()
    {
        _manager.Start();
        _notifier = Task.Run(() => NotifyLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _manager.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var mg in _mgs.Values)
            {
                mg.LivenessTimer?.Dispose();
            }
        }
        _notifications.Writer.TryComplete();
        await _notifier.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    internal async Task<TransactionResult> SendAsync(RegisteredMg mg, ValueList<ActionRequest> actions, CancellationToken cancellationToken)
    {
        MegacoEndpoint endpoint;
        int version;
        int generation;
        lock (_gate)
        {
            if (mg.State != RegisteredMgState.Registered)
            {
                return new TransactionResult(0, null, TransactionFailure.NotAssociated);
            }
            (endpoint, version, generation) = (mg.Endpoint, mg.Version, mg.Generation);
        }
        var result = await _manager.SendRequestAsync(endpoint, version, actions, cancellationToken).ConfigureAwait(false);
        OnOutcome(mg, generation, result, "request");
        return result;
    }

    internal async Task<TransactionResult> HandOffAsync(RegisteredMg mg, MId mgcIdToTry, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            generation = mg.Generation;
        }
        var parm = new ServiceChangeParm(ServiceChangeMethod.HandOff, ServiceChangeReasons.MgcDirectedChange, MgcIdToTry: mgcIdToTry);
        var result = await SendAsync(mg, RootCommands.ServiceChange(parm), cancellationToken).ConfigureAwait(false);
        if (result.Reply is { } reply && RootCommands.ReadServiceChangeReply(reply).Error is null)
        {
            EndRegistration(mg, generation, RegisteredMgState.HandedOff, $"handed off to {mgcIdToTry.Address}:{mgcIdToTry.Port}");
        }
        return result;
    }

    async ValueTask<TransactionAnswer> IMegacoUser.HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        if (RootCommands.RootServiceChange(request.Request) is { } serviceChange)
        {
            return await OnServiceChangeAsync(request, serviceChange, cancellationToken).ConfigureAwait(false);
        }
        RegisteredMg? mg;
        lock (_gate)
        {
            mg = _mgs.GetValueOrDefault(Key(request.PeerMId));
            if (mg is not null && mg.State == RegisteredMgState.Registered && mg.Endpoint.Transport == request.Peer.Transport
                && mg.Endpoint.EndPoint.Address.Equals(request.Peer.EndPoint.Address))
            {
                mg.LastHeard = _time.GetTimestamp();
            }
            else
            {
                mg = null;
            }
        }
        if (mg is null)
        {
            // H.248.1 §11.2: an MG talks to its MGC only after registering.
            LogUnregistered(request.Peer, request.Request.TransactionId);
            return TransactionAnswer.Failed(H248ErrorCode.CommandReceivedFromUnauthorizedEntity, "not registered");
        }
        if (RootCommands.IsInactivityNotify(request.Request))
        {
            // H.248.14: the heartbeat itself; hearing it is all it is for.
            return RootCommands.RootNotified();
        }
        return await _user.HandleRequestAsync(mg, request, cancellationToken).ConfigureAwait(false);
    }

    async ValueTask IMegacoUser.OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken)
    {
        if (megacoEvent.Kind == MegacoEventKind.ConnectionLost)
        {
            (RegisteredMg Mg, int Generation)[] lost;
            lock (_gate)
            {
                lost = [.. _mgs.Values.Where(m => m.State == RegisteredMgState.Registered && m.Endpoint.Equals(megacoEvent.Peer)).Select(m => (m, m.Generation))];
            }
            foreach (var (mg, generation) in lost)
            {
                EndRegistration(mg, generation, RegisteredMgState.Lost, "connection lost: " + megacoEvent.Detail);
            }
        }
        await _user.OnEventAsync(megacoEvent, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<TransactionAnswer> OnServiceChangeAsync(IncomingRequest request, ServiceChangeParm parm, CancellationToken cancellationToken)
    {
        var key = Key(request.PeerMId);
        LogServiceChange(request.Peer, parm.Method, parm.Reason ?? "", parm.Version ?? 0);
        if (parm.Method is ServiceChangeMethod.Graceful or ServiceChangeMethod.Forced)
        {
            // H.248.1 §7.2.8: the MG takes itself (ROOT: all of it) out of service.
            RegisteredMg? leaving;
            var leavingGeneration = 0;
            lock (_gate)
            {
                leaving = _mgs.GetValueOrDefault(key);
                if (leaving is not null)
                {
                    leavingGeneration = leaving.Generation;
                }
            }
            if (leaving is not null)
            {
                EndRegistration(leaving, leavingGeneration, RegisteredMgState.Lost, $"out of service ({parm.Method}, reason {parm.Reason}, delay {parm.Delay ?? 0} s)");
            }
            return RootCommands.ServiceChangeAccepted();
        }
        if (!_options.AllowRegistration && !_known.Contains(key))
        {
            LogRefused(request.Peer, "not a known MG");
            return RootCommands.ServiceChangeRefused(H248ErrorCode.CommandReceivedFromUnauthorizedEntity, "unknown MG");
        }
        if (_options.RedirectTo is { } elsewhere)
        {
            // H.248.1 §7.2.8: MgcIdToTry in the reply sends the MG to register with another MGC.
            LogRefused(request.Peer, $"redirected to {elsewhere.Address}");
            return RootCommands.ServiceChangeAccepted(new ServiceChangeResParm(MgcIdToTry: elsewhere));
        }
        // H.248.1 §11.3: the lower of the MG's offer (ServiceChangeVersion, else its header) and ours.
        var offered = parm.Version is { } v ? (int)v : request.Version;
        var version = Math.Min(offered, _options.Version);
        if (version < 1)
        {
            return RootCommands.ServiceChangeRefused(H248ErrorCode.VersionNotSupported, "version " + offered);
        }
        var profile = parm.Profile;
        ServiceChangeProfile? replyProfile = null;
        if (_options.Profiles.Count > 0)
        {
            var negotiated = ProfileNegotiation.Answer(parm.Profile, _options.Profiles, _options.ProposeAlternativeProfile);
            switch (negotiated.Outcome)
            {
                case NegotiationOutcome.Reject:
                    LogRefused(request.Peer, negotiated.Error!.Text ?? "profile");
                    return RootCommands.ServiceChangeRefused(H248ErrorCode.UnsupportedOrUnknownProfile, negotiated.Error.Text);
                case NegotiationOutcome.Propose:
                    profile = replyProfile = negotiated.Reply;
                    break;
            }
        }
        RegisteredMg mg;
        bool known;
        lock (_gate)
        {
            known = _mgs.TryGetValue(key, out var existing);
            if (!known && _mgs.Count >= _options.MaxMgs && !ForgetOneGone())
            {
                LogRefused(request.Peer, "registry full");
                return RootCommands.ServiceChangeRefused(H248ErrorCode.InsufficientResources, "too many MGs");
            }
            mg = existing ?? new RegisteredMg(this, request.PeerMId, request.Peer) { State = RegisteredMgState.Lost };
        }
        if (!await _user.OnMgRegisteringAsync(mg, parm, cancellationToken).ConfigureAwait(false))
        {
            LogRefused(request.Peer, "declined by the user");
            return RootCommands.ServiceChangeRefused(H248ErrorCode.ServiceUnavailable, "registration declined");
        }
        var endpoint = parm.Address is { } address && request.Peer.Transport == MegacoTransportKind.Udp
            ? await MIdAddresses.ApplyAsync(address, request.Peer, _options.Resolver, _options.ResolveTimeout, cancellationToken).ConfigureAwait(false)
            : request.Peer;
        int generation;
        lock (_gate)
        {
            mg.LivenessTimer?.Dispose();
            mg.LivenessTimer = null;
            mg.Endpoint = endpoint;
            mg.Version = version;
            mg.Profile = profile;
            mg.Method = parm.Method;
            mg.State = RegisteredMgState.Registered;
            mg.Registrations++;
            mg.Generation++;
            mg.LastHeard = _time.GetTimestamp();
            generation = mg.Generation;
            _mgs[key] = mg;
        }
        LogRegistered(mg.MId.Address, endpoint, version, profile?.ToString() ?? "none", parm.Method);
        // An MG that restarts (not Disconnected, Failover or HandOff) has lost its contexts.
        var restarted = known && parm.Method == ServiceChangeMethod.Restart;
        _notifications.Writer.TryWrite(new Notification(mg, generation, restarted ? NotificationKind.Restarted : NotificationKind.Registered, null));
        // H.248.1 §11.3: the reply names the version to use from now on.
        return RootCommands.ServiceChangeAccepted(new ServiceChangeResParm(Version: (ushort)version, Profile: replyProfile));
    }

    /// <summary>Makes room in a full registry by forgetting one MG that is lost or handed off. Under the lock.</summary>
    private bool ForgetOneGone()
    {
        foreach (var (key, mg) in _mgs)
        {
            if (mg.State != RegisteredMgState.Registered)
            {
                _mgs.Remove(key);
                return true;
            }
        }
        return false;
    }

    /// <summary>How long an MG may be silent before it is audited: as configured, else two heartbeat periods when
    /// heartbeats are requested (one lost Notify is not yet a lost MG), else never.</summary>
    private TimeSpan? Silence => _options.SilenceBeforeAudit ?? _options.InactivityTimer * 2;

    /// <summary>After registration: the it/ito heartbeat request and the silence watch, when configured.</summary>
    private async Task WatchAsync(RegisteredMg mg, int generation)
    {
        if (Silence is { } silence)
        {
            lock (_gate)
            {
                if (mg.Generation == generation && mg.State == RegisteredMgState.Registered)
                {
                    mg.LivenessTimer = _time.CreateTimer(static state =>
                    {
                        var (registry, watched, generation) = ((MgcRegistry, RegisteredMg, int))state!;
                        registry.OnLivenessTimer(watched, generation);
                    }, (this, mg, generation), silence, Timeout.InfiniteTimeSpan);
                }
            }
        }
        if (_options.InactivityTimer is { } mit)
        {
            TransactionResult result;
            try
            {
                result = await SendAsync(mg, RootCommands.RequestInactivityTimer(_options.InactivityRequestId, mit), _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            if (result.Reply is { } reply && (reply.Error ?? reply.Actions.FirstOrDefault()?.Error) is { } error)
            {
                LogHeartbeatRefused(mg.MId.Address, error.Code);
            }
        }
    }

    /// <summary>Nothing heard for SilenceBeforeAudit: audit ROOT; an MG that answers nothing is lost.</summary>
    private void OnLivenessTimer(RegisteredMg mg, int generation)
    {
        var silence = Silence!.Value;
        lock (_gate)
        {
            if (mg.Generation != generation || mg.State != RegisteredMgState.Registered)
            {
                return;
            }
            var silent = _time.GetElapsedTime(mg.LastHeard);
            if (silent < silence)
            {
                mg.LivenessTimer?.Change(silence - silent, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        _ = AuditAsync(mg, generation, silence);
    }

    private async Task AuditAsync(RegisteredMg mg, int generation, TimeSpan silence)
    {
        LogAuditing(mg.MId.Address);
        TransactionResult result;
        try
        {
            result = await SendAsync(mg, RootCommands.AuditRoot(), _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        if (result.HasReply)
        {
            lock (_gate)
            {
                if (mg.Generation == generation && mg.State == RegisteredMgState.Registered)
                {
                    mg.LivenessTimer?.Change(silence, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private void OnOutcome(RegisteredMg mg, int generation, TransactionResult result, string what)
    {
        if (result.HasReply)
        {
            lock (_gate)
            {
                if (mg.Generation == generation)
                {
                    mg.LastHeard = _time.GetTimestamp();
                }
            }
        }
        else if (result.Failure is TransactionFailure.Timeout or TransactionFailure.ConnectionLost or TransactionFailure.SendFailed)
        {
            EndRegistration(mg, generation, RegisteredMgState.Lost, $"no answer to {what} ({result.Failure})");
        }
    }

    private void EndRegistration(RegisteredMg mg, int generation, RegisteredMgState state, string reason)
    {
        lock (_gate)
        {
            if (mg.Generation != generation || mg.State != RegisteredMgState.Registered)
            {
                return;
            }
            mg.State = state;
            mg.LivenessTimer?.Dispose();
            mg.LivenessTimer = null;
        }
        LogLost(mg.MId.Address, reason);
        _notifications.Writer.TryWrite(new Notification(mg, generation, NotificationKind.Lost, reason));
    }

    private async Task NotifyLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var notification in _notifications.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                switch (notification.Kind)
                {
                    case NotificationKind.Restarted:
                        await _user.OnMgRestartedAsync(notification.Mg, cancellationToken).ConfigureAwait(false);
                        await _user.OnMgRegisteredAsync(notification.Mg, cancellationToken).ConfigureAwait(false);
                        _ = WatchAsync(notification.Mg, notification.Generation);
                        break;
                    case NotificationKind.Registered:
                        await _user.OnMgRegisteredAsync(notification.Mg, cancellationToken).ConfigureAwait(false);
                        _ = WatchAsync(notification.Mg, notification.Generation);
                        break;
                    default:
                        await _user.OnMgLostAsync(notification.Mg, notification.Reason!, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogUserFailed(notification.Kind.ToString(), e);
            }
        }
    }

    /// <summary>mIds compare by kind, address (case-insensitively: domain names) and port.</summary>
    private static string Key(MId mid) =>
        $"{(int)mid.Kind}|{mid.Address.ToLowerInvariant()}|{mid.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private enum NotificationKind : byte
    {
        Registered,
        Restarted,
        Lost,
    }

    private sealed record Notification(RegisteredMg Mg, int Generation, NotificationKind Kind, string? Reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ServiceChange {Method} from {Peer}, reason {Reason}, version {Version}")]
    private partial void LogServiceChange(MegacoEndpoint peer, ServiceChangeMethod method, string reason, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "MG {MId} registered at {Endpoint}, version {Version}, profile {Profile}, by {Method}")]
    private partial void LogRegistered(string mid, MegacoEndpoint endpoint, int version, string profile, ServiceChangeMethod method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registration from {Peer} refused: {Reason}")]
    private partial void LogRefused(MegacoEndpoint peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId} from {Peer} refused: not a registered MG")]
    private partial void LogUnregistered(MegacoEndpoint peer, uint transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MG {MId} lost: {Reason}")]
    private partial void LogLost(string mid, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MG {MId} silent: auditing ROOT")]
    private partial void LogAuditing(string mid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MG {MId} refused the it/ito heartbeat request with {Code}")]
    private partial void LogHeartbeatRefused(string mid, ushort code);

    [LoggerMessage(Level = LogLevel.Error, Message = "The user's handler of {Kind} failed")]
    private partial void LogUserFailed(string kind, Exception exception);
}
