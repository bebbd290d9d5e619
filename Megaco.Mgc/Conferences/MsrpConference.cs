using System.Collections.Concurrent;
using System.Globalization;
using Megaco.Mgc.Commands;
using Megaco.Mgc.Events;
using Megaco.Mgc.Gateway;
using Megaco.Mgc.Results;
using Megaco.Mgc.Sdp;
using Megaco.Mgc.Sessions;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Conferences;

/// <summary>
/// One MSRP conference on the MRFP (TS 23.333 §6.2.20, TR 33.829 §8.3.2.3): a context with one termination per
/// participant, each with its own TLS session (certificate or PSK) or clear TCP, latched when the participant is
/// behind NAT, and MSRP-aware (the MRFP is each participant's MSRP peer: <c>a=path:$</c>). The MRFC adds a
/// participant with the SDP offer of its INVITE and sends back the answer; removing the last participant ends
/// the context (H.248.1 §6.1) and the next one starts a new one. Calls are serialized per conference.
/// </summary>
public sealed class MsrpConference : IGatewayEventTarget, IAsyncDisposable
{
    private readonly GatewayOperations _gateway;
    private readonly int _maxParticipants;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EventQueue _events = new();
    private readonly ConcurrentDictionary<TerminationId, uint> _participants = new();
    private readonly ConcurrentDictionary<TerminationId, (LegRequest Leg, MsrpPolicy Policy)> _invited = new();
    private volatile bool _ended;

    internal MsrpConference(GatewayOperations gateway, int maxParticipants)
    {
        _gateway = gateway;
        _maxParticipants = maxParticipants;
    }

    /// <summary>The MRFP's context; <see cref="ContextId.Null"/> while the conference has no participant.</summary>
    public ContextId Context { get; private set; } = ContextId.Null;

    public IReadOnlyCollection<TerminationId> Participants => [.. _participants.Keys];

    public bool Ended => _ended;

    /// <summary>The MRFP's events for every participant (Leg = Participant), until the conference ends.</summary>
    public IAsyncEnumerable<MsrpMediaEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Admits a participant from the SDP offer of its INVITE: Add of a termination (in a new context for the
    /// first) and the SDP answer with the MRFP's address, port, setup, fingerprint and path. A TLS offer is
    /// terminated at the MRFP: by <see cref="MsrpPolicy.PreSharedKey"/> when set, else by certificate, which needs
    /// the participant's a=fingerprint. Uses the policy's PreSharedKey, AllowClearAccess, Latching,
    /// UeSignallingAddress, FingerprintHash and InactivityTimeout.
    /// </summary>
    public async Task<ParticipantOutcome> AddParticipantAsync(string offerSdp, MsrpPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        policy ??= MsrpPolicy.Default;
        return await AdmitAsync(async () =>
        {
            if (!ReceivedMedia.TryRead(offerSdp, out var offer, out var failure))
            {
                return ParticipantOutcome.Refused(failure);
            }
            LegSecurity security;
            if (offer.Msrp.IsTls)
            {
                if (policy.PreSharedKey is null && offer.Msrp.Fingerprints.Count == 0)
                {
                    return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.NotAcceptable, "TLS to the MRFP needs the participant's a=fingerprint or a PSK (RFC 8122 §5)"));
                }
                security = policy.PreSharedKey is null ? LegSecurity.Certificate : LegSecurity.PreSharedKey;
            }
            else if (policy.AllowClearAccess)
            {
                security = LegSecurity.Clear;
            }
            else
            {
                return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.NotAcceptable, "the conference accepts TCP/TLS/MSRP only"));
            }
            var leg = new LegRequest
            {
                AddressType = offer.Connection.AddressType,
                Security = security,
                Setup = MsrpSession.SetupTowardsUe(offer.Msrp.Setup),
                MsrpAware = true,
                Latching = policy.Latching == LatchingRule.Always
                    || (policy.Latching == LatchingRule.WhenBehindNat && policy.UeSignallingAddress is { } signalling && !signalling.Equals(offer.Address)),
                PreSharedKey = security == LegSecurity.PreSharedKey ? policy.PreSharedKey : null,
                FingerprintHash = policy.FingerprintHash,
                InactivityTimeout = policy.InactivityTimeout,
                EventRequestId = _gateway.Router.NextRequestId(),
            };
            var (local, addFailure) = await AddLegAsync(leg, offer.ToRemote(SetupRole.Active), cancellationToken).ConfigureAwait(false);
            if (addFailure is not null)
            {
                return ParticipantOutcome.Refused(addFailure);
            }
            var answer = new PresentedMedia
            {
                Connection = local!.Connection,
                Port = local.Port,
                Protocol = leg.Protocol,
                Setup = leg.Setup,
                Reuse = TcpConnectionAttribute.New,
                Fingerprints = security == LegSecurity.Certificate ? local.Media.Fingerprints : [],
                Path = local.Media.Path,
                Cema = false,
            };
            return ParticipantOutcome.Admitted(local.Termination, answer.ApplyTo(offer));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Dial-out (the MRFC invites a UE, TS 23.333 §6.2.20): Add of a termination without Remote, and the SDP offer for
    /// the INVITE: the MRFP's address, port and path, <c>a=setup:passive</c> so the UE connects out, TLS by certificate
    /// (<see cref="MsrpPolicy.OfferTlsToUe"/>, with the MRFP's fingerprint) or PSK, or clear TCP. The answer goes to
    /// <see cref="AnswerFromParticipantAsync"/>. <paramref name="acceptTypes"/> is the offer's a=accept-types
    /// (RFC 4975 §8.6 requires it).
    /// </summary>
    public async Task<ParticipantOutcome> InviteParticipantAsync(string acceptTypes = "message/cpim text/plain", MsrpPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(acceptTypes);
        if (acceptTypes.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            throw new ArgumentException("accept-types must be one line of media types", nameof(acceptTypes));
        }
        policy ??= MsrpPolicy.Default;
        return await AdmitAsync(async () =>
        {
            var security = policy.PreSharedKey is not null ? LegSecurity.PreSharedKey
                : policy.OfferTlsToUe ? LegSecurity.Certificate
                : policy.AllowClearAccess ? LegSecurity.Clear
                : (LegSecurity?)null;
            if (security is not { } chosen)
            {
                return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.NotAcceptable, "the policy allows neither TLS nor clear TCP"));
            }
            var leg = new LegRequest
            {
                AddressType = policy.AccessAddressType,
                Security = chosen,
                Setup = SetupRole.Passive,
                MsrpAware = true,
                Latching = policy.Latching == LatchingRule.Always,
                PreSharedKey = chosen == LegSecurity.PreSharedKey ? policy.PreSharedKey : null,
                FingerprintHash = policy.FingerprintHash,
                InactivityTimeout = policy.InactivityTimeout,
                EventRequestId = _gateway.Router.NextRequestId(),
            };
            var (local, failure) = await AddLegAsync(leg, null, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ParticipantOutcome.Refused(failure);
            }
            _invited[local!.Termination] = (leg, policy);
            // RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>.
            var lines = new List<string>
            {
                "v=0",
                "o=- " + Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture)
                    + " 1 IN " + local.Connection.AddressType + " " + local.Connection.Address,
                "s=-",
                "c=" + local.Connection,
                "t=0 0",
                "m=message " + local.Port.ToString(CultureInfo.InvariantCulture) + " " + leg.Protocol + " *",
                "a=accept-types:" + acceptTypes,
                "a=path:" + string.Join(' ', local.Media.Path),
                "a=setup:passive",
                "a=connection:new",
            };
            if (chosen == LegSecurity.Certificate)
            {
                lines.AddRange(local.Media.Fingerprints.Select(f => "a=fingerprint:" + f));
            }
            return ParticipantOutcome.Admitted(local.Termination, string.Concat(lines.Select(l => l + "\r\n")));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The invited UE's answer: Modify of its termination's Remote (and latching when the UE looks NATed). Null on
    /// success; the failure otherwise (488 for an answer that does not fit the offer, the MG's errors as usual).
    /// </summary>
    public async Task<MgcFailure?> AnswerFromParticipantAsync(TerminationId participant, string answerSdp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (!await EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return Cancelled();
        }
        try
        {
            if (!_invited.TryGetValue(participant, out var invited))
            {
                return new MgcFailure(MgcFailureKind.InvalidState, participant + " was not invited or has answered");
            }
            if (!ReceivedMedia.TryRead(answerSdp, out var answer, out var failure))
            {
                return failure;
            }
            var (leg, policy) = invited;
            // RFC 4145 §4.1: the answer to passive is active (or holdconn); no a=setup in an answer is passive (§4).
            if (answer.Msrp.IsTls != (leg.Security != LegSecurity.Clear) || answer.Msrp.Setup is not (SetupRole.Active or SetupRole.HoldConn)
                || (leg.Security == LegSecurity.Certificate && answer.Msrp.Fingerprints.Count == 0))
            {
                return new MgcFailure(MgcFailureKind.NotAcceptable, "the answer does not fit the offer (protocol, a=setup:active, a=fingerprint)");
            }
            var latchNow = !leg.Latching && policy.Latching == LatchingRule.WhenBehindNat
                && policy.UeSignallingAddress is { } signalling && !signalling.Equals(answer.Address);
            var command = MsrpCommands.ModifyRemote(participant, answer.ToRemote(SetupRole.Passive), latchNow ? leg with { Latching = true } : null);
            var (_, modifyFailure) = await _gateway.ExecuteAsync(new ActionRequest(Context, [command]), cancellationToken).ConfigureAwait(false);
            if (modifyFailure is null)
            {
                _invited.TryRemove(participant, out _);
            }
            return modifyFailure;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serializes an admission (dial-in or dial-out) after the refusals every admission shares.</summary>
    private async Task<ParticipantOutcome> AdmitAsync(Func<Task<ParticipantOutcome>> admit, CancellationToken cancellationToken)
    {
        if (!await EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return ParticipantOutcome.Refused(Cancelled());
        }
        try
        {
            return Refusal() is { } refusal ? ParticipantOutcome.Refused(refusal) : await admit().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Add of one termination to the conference's context (a new one for the first), and its filled Local.</summary>
    private async Task<(FilledLocal? Local, MgcFailure? Failure)> AddLegAsync(LegRequest leg, SessionDescription? remote, CancellationToken cancellationToken)
    {
        var context = Context.IsNull ? ContextId.Choose : Context;
        var (reply, failure) = await _gateway.ExecuteAsync(new ActionRequest(context, [MsrpCommands.Add(leg, remote)]), cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (null, failure);
        }
        if (reply!.ContextId is not { IsNull: false, IsChoose: false, IsAll: false } created || reply.Commands.Count != 1
            || (!Context.IsNull && created != Context))
        {
            await _gateway.UndoAsync(reply.ContextId, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
            return (null, new MgcFailure(MgcFailureKind.GatewayError, "the MRFP's reply to the Add names no usable context"));
        }
        if (!GatewayReplies.TryReadLocal(reply.Commands[0], leg.Security == LegSecurity.Certificate, wantPath: true, out var local, out failure))
        {
            await _gateway.UndoAsync(created, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
            return (null, failure);
        }
        if (Context.IsNull)
        {
            Context = created;
            _gateway.Router.Register(created, this);
        }
        _participants[local.Termination] = leg.EventRequestId;
        return (local, null);
    }

    private MgcFailure? Refusal() =>
        _ended ? new MgcFailure(MgcFailureKind.InvalidState, "the conference has ended")
        : _participants.Count >= _maxParticipants ? new MgcFailure(MgcFailureKind.GatewayResourcesExhausted, "the conference has its " + _maxParticipants + " participants")
        : null;

    /// <summary>Subtracts one participant and returns its statistics; the last one takes the context with it.</summary>
    public async Task<ReleaseOutcome> RemoveParticipantAsync(TerminationId participant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (!await EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return new ReleaseOutcome([], Cancelled());
        }
        try
        {
            _invited.TryRemove(participant, out _);
            if (!_participants.TryRemove(participant, out _))
            {
                return new ReleaseOutcome([], new MgcFailure(MgcFailureKind.InvalidState, participant + " is not a participant"));
            }
            var context = Context;
            if (_participants.IsEmpty)
            {
                Forget();
            }
            var (reply, failure) = await _gateway.ExecuteAsync(new ActionRequest(context, [MsrpCommands.Subtract(participant)]), cancellationToken).ConfigureAwait(false);
            return new ReleaseOutcome(GatewayReplies.Statistics(reply), failure);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the conference: Subtract of every termination of the context (<c>*</c>), with their statistics.</summary>
    public async Task<ReleaseOutcome> EndAsync(CancellationToken cancellationToken = default)
    {
        if (!await EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return new ReleaseOutcome([], Cancelled());
        }
        try
        {
            var context = Context;
            var had = !_participants.IsEmpty;
            _participants.Clear();
            _invited.Clear();
            Forget();
            _ended = true;
            _events.Complete();
            if (!had || context.IsNull)
            {
                return new ReleaseOutcome([]);
            }
            var (reply, failure) = await _gateway.ExecuteAsync(new ActionRequest(context, [MsrpCommands.Subtract(TerminationId.All)]), cancellationToken).ConfigureAwait(false);
            return new ReleaseOutcome(GatewayReplies.Statistics(reply), failure);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the conference if it has not ended (the statistics are dropped; call <see cref="EndAsync"/> to get them).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            await EndAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    ErrorDescriptor? IGatewayEventTarget.OnNotify(TerminationId termination, ObservedEventsDescriptor observed)
    {
        if (!_participants.TryGetValue(termination, out var requestId))
        {
            return new ErrorDescriptor((ushort)H248ErrorCode.TerminationIdNotInSpecifiedContext, termination + " is not a participant of this conference");
        }
        if (observed.RequestId != requestId)
        {
            return new ErrorDescriptor((ushort)H248ErrorCode.UnexpectedEventOrRequestId, "request id " + observed.RequestId + " was not sent for " + termination);
        }
        foreach (var observedEvent in observed.Events)
        {
            _events.Publish(MsrpMediaEvent.From(MsrpLeg.Participant, termination, observedEvent));
        }
        return null;
    }

    void IGatewayEventTarget.OnGatewayLost()
    {
        _events.Publish(new MsrpMediaEvent(MsrpLeg.Context, TerminationId.All, MsrpEventKind.GatewayLost, "context " + Context + " is gone", null));
        _participants.Clear();
        _invited.Clear();
        Context = ContextId.Null;
    }

    private async Task<bool> EnterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Forget()
    {
        if (!Context.IsNull)
        {
            _gateway.Router.Unregister(Context, this);
            Context = ContextId.Null;
        }
    }

    private static MgcFailure Cancelled() => new(MgcFailureKind.Cancelled, "cancelled by the caller");
}
