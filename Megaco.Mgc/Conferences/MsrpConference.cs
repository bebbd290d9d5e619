using System.Collections.Concurrent;
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
        if (!await EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return ParticipantOutcome.Refused(Cancelled());
        }
        try
        {
            if (_ended)
            {
                return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.InvalidState, "the conference has ended"));
            }
            if (_participants.Count >= _maxParticipants)
            {
                return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.GatewayResourcesExhausted, "the conference has its " + _maxParticipants + " participants"));
            }
            if (!ReceivedMedia.TryRead(offerSdp, out var offer, out var failure))
            {
                return ParticipantOutcome.Refused(failure);
            }
            LegSecurity security;
            if (offer.Msrp.IsTls)
            {
                if (policy.PreSharedKey is null && offer.Msrp.Fingerprints.Count == 0)
                {
                    return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.NotAcceptable, "TLS to the MRFP needs the participant's a=fingerprint or a PSK (RFC 4975 §14.2)"));
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
                Latching = policy.Latching == LatchingPolicy.Always
                    || (policy.Latching == LatchingPolicy.WhenBehindNat && policy.UeSignallingAddress is { } signalling && !signalling.Equals(offer.Address)),
                PreSharedKey = security == LegSecurity.PreSharedKey ? policy.PreSharedKey : null,
                FingerprintHash = policy.FingerprintHash,
                InactivityTimeout = policy.InactivityTimeout,
                EventRequestId = _gateway.Router.NextRequestId(),
            };
            var context = Context.IsNull ? ContextId.Choose : Context;
            var (reply, sendFailure) = await _gateway.ExecuteAsync(
                new ActionRequest(context, [MsrpCommands.Add(leg, offer.ToRemote(SetupRole.Active))]), cancellationToken).ConfigureAwait(false);
            if (sendFailure is not null)
            {
                return ParticipantOutcome.Refused(sendFailure);
            }
            if (reply!.ContextId is not { IsNull: false, IsChoose: false, IsAll: false } created || reply.Commands.Count != 1
                || (!Context.IsNull && created != Context))
            {
                await _gateway.UndoAsync(reply.ContextId, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
                return ParticipantOutcome.Refused(new MgcFailure(MgcFailureKind.GatewayError, "the MRFP's reply to the Add names no usable context"));
            }
            if (!GatewayReplies.TryReadLocal(reply.Commands[0], security == LegSecurity.Certificate, wantPath: true, out var local, out failure))
            {
                await _gateway.UndoAsync(created, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
                return ParticipantOutcome.Refused(failure);
            }
            if (Context.IsNull)
            {
                Context = created;
                _gateway.Router.Register(created, this);
            }
            _participants[local.Termination] = leg.EventRequestId;
            var answer = new PresentedMedia
            {
                Connection = local.Connection,
                Port = local.Port,
                Protocol = leg.Protocol,
                Setup = leg.Setup,
                Reuse = TcpConnectionAttribute.New,
                Fingerprints = security == LegSecurity.Certificate ? local.Media.Fingerprints : [],
                Path = local.Media.Path,
                Cema = false,
            };
            return ParticipantOutcome.Admitted(local.Termination, answer.ApplyTo(offer));
        }
        finally
        {
            _gate.Release();
        }
    }

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
