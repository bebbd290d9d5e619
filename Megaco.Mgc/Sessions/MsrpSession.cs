using Megaco.Mgc.Commands;
using Megaco.Mgc.Events;
using Megaco.Mgc.Gateway;
using Megaco.Mgc.Results;
using Megaco.Mgc.Sdp;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using Microsoft.Extensions.Logging;

namespace Megaco.Mgc.Sessions;

/// <summary>
/// The MSRP stream of one SIP dialog through the IMS-AGW, as the IMS-ALG in the P-CSCF drives it (TS 23.334
/// §6.2.10.3, TS 33.328): an offer from one side becomes an Add of the access and core terminations in a
/// new context and the SDP towards the other side; the answer becomes a Modify of the offerer's peer leg and
/// the SDP back. Later offers (re-INVITE) become Modify. <see cref="ReleaseAsync"/> subtracts both and
/// returns their statistics. Calls are serialized per session; every failure is an <see cref="MgcFailure"/>.
/// </summary>
public sealed class MsrpSession : IGatewayEventTarget, IAsyncDisposable
{
    private readonly GatewayOperations _gateway;
    private readonly MsrpPolicy _policy;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EventQueue _events = new();
    private volatile MsrpSessionState _state;
    private MsrpLeg _offerer;
    private bool _ueRequestedE2ae;
    private Leg? _access;
    private Leg? _core;
    private ReceivedMedia? _pendingOffer;

    internal MsrpSession(GatewayOperations gateway, MsrpPolicy policy)
    {
        _gateway = gateway;
        _policy = policy;
    }

    public MsrpSessionState State => _state;

    /// <summary>The mode decided at the first offer; null before.</summary>
    public MsrpSessionMode? Mode { get; private set; }

    /// <summary>The MG's context; <see cref="ContextId.Null"/> before the first offer and after release.</summary>
    public ContextId Context { get; private set; } = ContextId.Null;

    public TerminationId? AccessTermination => _access?.Id;

    public TerminationId? CoreTermination => _core?.Id;

    /// <summary>Events dropped because the owner did not read them (bounded queue).</summary>
    public long DroppedEvents => _events.Dropped;

    /// <summary>
    /// The MG's events for this session (connection up, failed, lost; TLS up or failed; inactivity; MG lost),
    /// until release. Read it from one task; the stream ends when the session is released.
    /// </summary>
    public IAsyncEnumerable<MsrpMediaEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Originating session: the UE's offer (INVITE or re-INVITE body). Returns the offer to send towards the
    /// core: the MG's core-side c=, port, setup and path, and no fingerprint when the core leg is clear.
    /// </summary>
    public Task<SdpOutcome> OfferFromAccessAsync(string sdp, CancellationToken cancellationToken = default) =>
        SerializedAsync(() => OfferAsync(MsrpLeg.Access, sdp, cancellationToken), cancellationToken);

    /// <summary>Originating session: the core's answer. Returns the answer to send to the UE (the MG's access side).</summary>
    public Task<SdpOutcome> AnswerFromCoreAsync(string sdp, CancellationToken cancellationToken = default) =>
        SerializedAsync(() => AnswerAsync(MsrpLeg.Core, sdp, cancellationToken), cancellationToken);

    /// <summary>Terminating session: the offer from the core towards the UE. Returns the offer to send to the UE.</summary>
    public Task<SdpOutcome> OfferFromCoreAsync(string sdp, CancellationToken cancellationToken = default) =>
        SerializedAsync(() => OfferAsync(MsrpLeg.Core, sdp, cancellationToken), cancellationToken);

    /// <summary>Terminating session: the UE's answer. Returns the answer to send towards the core.</summary>
    public Task<SdpOutcome> AnswerFromAccessAsync(string sdp, CancellationToken cancellationToken = default) =>
        SerializedAsync(() => AnswerAsync(MsrpLeg.Access, sdp, cancellationToken), cancellationToken);

    /// <summary>
    /// Ends the session: Subtract of both terminations with their statistics (nt/os, nt/or, nt/dur). The session is
    /// released whatever the MG answers; a second call returns no statistics.
    /// </summary>
    public async Task<ReleaseOutcome> ReleaseAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new ReleaseOutcome([], new MgcFailure(MgcFailureKind.Cancelled, "cancelled by the caller"));
        }
        try
        {
            if (_state == MsrpSessionState.Released || Context.IsNull)
            {
                MarkReleased();
                return new ReleaseOutcome([]);
            }
            var context = Context;
            var terminations = new[] { _access!.Id, _core!.Id };
            MarkReleased();
            var (reply, failure) = await _gateway.ExecuteAsync(
                new ActionRequest(context, [.. terminations.Select(MsrpCommands.Subtract)]), cancellationToken).ConfigureAwait(false);
            return new ReleaseOutcome(GatewayReplies.Statistics(reply), failure);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the session if it is still live (the statistics are dropped; call <see cref="ReleaseAsync"/> to get them).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state != MsrpSessionState.Released)
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    ErrorDescriptor? IGatewayEventTarget.OnNotify(TerminationId termination, ObservedEventsDescriptor observed)
    {
        var leg = _access is { } access && access.Id == termination ? access
            : _core is { } core && core.Id == termination ? core
            : null;
        if (leg is null)
        {
            return new ErrorDescriptor((ushort)H248ErrorCode.TerminationIdNotInSpecifiedContext, termination + " is not in this session's context");
        }
        if (observed.RequestId != leg.Request.EventRequestId)
        {
            return new ErrorDescriptor((ushort)H248ErrorCode.UnexpectedEventOrRequestId, "request id " + observed.RequestId + " was not sent for " + termination);
        }
        foreach (var observedEvent in observed.Events)
        {
            _events.Publish(MsrpMediaEvent.From(leg.Side, termination, observedEvent));
        }
        return null;
    }

    void IGatewayEventTarget.OnGatewayLost()
    {
        _events.Publish(new MsrpMediaEvent(MsrpLeg.Context, TerminationId.All, MsrpEventKind.GatewayLost, "context " + Context + " is gone", null));
        MarkReleased();
    }

    private async Task<SdpOutcome> SerializedAsync(Func<Task<SdpOutcome>> operation, CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return SdpOutcome.Failed(new MgcFailure(MgcFailureKind.Cancelled, "cancelled by the caller"));
        }
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SdpOutcome> OfferAsync(MsrpLeg from, string sdp, CancellationToken cancellationToken)
    {
        switch (_state)
        {
            case MsrpSessionState.Released:
                return InvalidState("the session is released");
            case MsrpSessionState.AwaitingAnswer:
                // RFC 3264 §4: no new offer while one is outstanding (glare is resolved in SIP, RFC 3261 §14.1).
                return InvalidState("an offer from the " + _offerer + " side is awaiting its answer");
        }
        if (!ReceivedMedia.TryRead(sdp, out var offer, out var failure))
        {
            return SdpOutcome.Failed(failure);
        }
        return _state == MsrpSessionState.Idle
            ? await FirstOfferAsync(from, offer, cancellationToken).ConfigureAwait(false)
            : await ReofferAsync(from, offer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SdpOutcome> FirstOfferAsync(MsrpLeg from, ReceivedMedia offer, CancellationToken cancellationToken)
    {
        var decided = from == MsrpLeg.Access ? DecideOriginating(offer) : DecideTerminating(offer);
        if (decided.Failure is { } refusal)
        {
            return SdpOutcome.Failed(refusal);
        }
        var mode = decided.Mode!;
        var access = new LegRequest
        {
            AddressType = from == MsrpLeg.Access ? offer.Connection.AddressType : _policy.AccessAddressType,
            Security = mode.Access,
            // RFC 4145 §4.1: the MG answers the UE's offer so that the UE connects out through its NAT; towards a UE it
            // offers passive, which leaves the UE only active (RFC 6135 makes MSRP follow a=setup).
            Setup = from == MsrpLeg.Access ? SetupTowardsUe(offer.Msrp.Setup) : SetupRole.Passive,
            MsrpAware = mode.MsrpAware,
            Latching = mode.Latching,
            PreSharedKey = mode.Access == LegSecurity.PreSharedKey ? _policy.PreSharedKey : null,
            FingerprintHash = _policy.FingerprintHash,
            InactivityTimeout = _policy.InactivityTimeout,
            EventRequestId = _gateway.Router.NextRequestId(),
        };
        var core = new LegRequest
        {
            AddressType = from == MsrpLeg.Core ? offer.Connection.AddressType : _policy.CoreAddressType,
            Security = mode.Core,
            // Towards the core the MG offers actpass (RFC 4145 §4.1: the answer decides; the MG listens until then)
            // or answers the core's offer (RFC 4145 §4: no a=setup in an offer means active).
            Setup = from == MsrpLeg.Core ? SetupRoles.AnswerTo(offer.Msrp.Setup ?? SetupRole.Active) : SetupRole.ActPass,
            MsrpAware = mode.MsrpAware,
            FingerprintHash = _policy.FingerprintHash,
            InactivityTimeout = _policy.InactivityTimeout,
            EventRequestId = _gateway.Router.NextRequestId(),
        };
        var remote = offer.ToRemote(impliedSetup: SetupRole.Active);
        var action = new ActionRequest(ContextId.Choose,
        [
            MsrpCommands.Add(access, from == MsrpLeg.Access ? remote : null),
            MsrpCommands.Add(core, from == MsrpLeg.Core ? remote : null),
        ]);
        var (reply, failure) = await _gateway.ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            await _gateway.UndoAsync(reply?.ContextId ?? ContextId.Null, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
            return SdpOutcome.Failed(failure);
        }
        if (reply!.ContextId is { IsNull: false, IsChoose: false, IsAll: false } context && reply.Commands.Count == 2
            && GatewayReplies.TryReadLocal(reply.Commands[0], access.Security == LegSecurity.Certificate, access.MsrpAware, out var accessLocal, out failure)
            && GatewayReplies.TryReadLocal(reply.Commands[1], core.Security == LegSecurity.Certificate, core.MsrpAware, out var coreLocal, out failure))
        {
            Context = context;
            Mode = mode;
            _access = new Leg(MsrpLeg.Access, accessLocal.Termination, access, accessLocal);
            _core = new Leg(MsrpLeg.Core, coreLocal.Termination, core, coreLocal);
            _gateway.Router.Register(context, this);
            _ueRequestedE2ae = from == MsrpLeg.Access && offer.Media.HasAttribute("3ge2ae");
            _gateway.Logger.LogInformation("MSRP session in context {Context}: {Mode}", context, mode);
            return Offered(from, offer);
        }
        failure ??= new MgcFailure(MgcFailureKind.GatewayError, "the MG's reply to the Add has no usable context id or command replies");
        await _gateway.UndoAsync(reply.ContextId, GatewayReplies.AddedTerminations(reply)).ConfigureAwait(false);
        return SdpOutcome.Failed(failure);
    }

    private async Task<SdpOutcome> ReofferAsync(MsrpLeg from, ReceivedMedia offer, CancellationToken cancellationToken)
    {
        var leg = from == MsrpLeg.Access ? _access! : _core!;
        var expected = from == MsrpLeg.Access ? Mode!.Access : Mode!.Core;
        if (offer.Msrp.IsTls != (expected != LegSecurity.Clear))
        {
            return NotAcceptable("a re-offer may not change the MSRP protocol of the session (" + leg.Request.Protocol + ")");
        }
        var failure = await ModifyRemoteAsync(leg, offer, SetupRole.Active, latchNow: false, cancellationToken).ConfigureAwait(false);
        return failure is null ? Offered(from, offer) : SdpOutcome.Failed(failure);
    }

    private SdpOutcome Offered(MsrpLeg from, ReceivedMedia offer)
    {
        _offerer = from;
        _pendingOffer = offer;
        _state = MsrpSessionState.AwaitingAnswer;
        var towards = from == MsrpLeg.Access ? _core! : _access!;
        return SdpOutcome.Success(Present(towards, offer).ApplyTo(offer));
    }

    private async Task<SdpOutcome> AnswerAsync(MsrpLeg from, string sdp, CancellationToken cancellationToken)
    {
        if (_state != MsrpSessionState.AwaitingAnswer || _offerer == from)
        {
            return InvalidState("no offer from the " + (from == MsrpLeg.Access ? MsrpLeg.Core : MsrpLeg.Access) + " side awaits an answer");
        }
        if (!ReceivedMedia.TryRead(sdp, out var answer, out var failure))
        {
            return SdpOutcome.Failed(failure);
        }
        var leg = from == MsrpLeg.Access ? _access! : _core!;
        if (answer.Msrp.IsTls != (leg.Request.Security != LegSecurity.Clear))
        {
            return NotAcceptable("the answer's protocol is not the offered " + leg.Request.Protocol);
        }
        // RFC 4145 §4: an answer without a=setup is passive; §4.1: actpass is not an answer, and the answer must
        // complement the offered role.
        var answered = answer.Msrp.Setup ?? SetupRole.Passive;
        if (answered == SetupRole.ActPass || !Complements(leg.Request.Setup, answered))
        {
            return NotAcceptable("a=setup:" + SetupRoles.ToAttributeValue(answered) + " does not answer the offered "
                + SetupRoles.ToAttributeValue(leg.Request.Setup) + " (RFC 4145 §4.1)");
        }
        if (leg.Request.Security == LegSecurity.Certificate && answer.Msrp.Fingerprints.Count == 0)
        {
            return NotAcceptable("the answer has no a=fingerprint for the TLS the MG terminates (RFC 8122 §5)");
        }
        var latchNow = from == MsrpLeg.Access && !Mode!.Latching && LooksNated(answer);
        failure = await ModifyRemoteAsync(leg, answer, SetupRole.Passive, latchNow, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return SdpOutcome.Failed(failure);
        }
        if (latchNow)
        {
            Mode = Mode! with { Latching = true };
        }
        if (Mode!.Cema && !answer.Msrp.Cema)
        {
            // RFC 6714: CEMA holds only when both ends support it; an agnostic MG cannot repair the fallback to RFC 4975
            // path matching now that the offer went on with the offerer's path, so the owner is told through Mode.
            Mode = Mode with { Cema = false };
            if (!Mode.MsrpAware)
            {
                _gateway.Logger.LogWarning("Context {Context}: the answer lacks a=msrp-cema; the MG stays MSRP-agnostic", Context);
            }
        }
        _state = MsrpSessionState.Established;
        var towards = from == MsrpLeg.Access ? _core! : _access!;
        var presented = Present(towards, answer) with
        {
            // The MG's role towards the offerer is the one it took in the Add (the answer to that offer).
            Reuse = _pendingOffer?.Msrp.ConnectionAttribute ?? TcpConnectionAttribute.New,
        };
        _pendingOffer = null;
        return SdpOutcome.Success(presented.ApplyTo(answer));
    }

    private async Task<MgcFailure?> ModifyRemoteAsync(Leg leg, ReceivedMedia media, SetupRole impliedSetup, bool latchNow, CancellationToken cancellationToken)
    {
        var command = MsrpCommands.ModifyRemote(leg.Id, media.ToRemote(impliedSetup), latchNow ? leg.Request with { Latching = true } : null);
        var (_, failure) = await _gateway.ExecuteAsync(new ActionRequest(Context, [command]), cancellationToken).ConfigureAwait(false);
        return failure;
    }

    /// <summary>What the side of <paramref name="towards"/> is shown, rewriting the other side's SDP <paramref name="source"/>.</summary>
    private PresentedMedia Present(Leg towards, ReceivedMedia source)
    {
        var mode = Mode!;
        var security = towards.Request.Security;
        return new PresentedMedia
        {
            Connection = towards.Local.Connection,
            Port = towards.Local.Port,
            Protocol = towards.Request.Protocol,
            Setup = towards.Request.Setup,
            Reuse = source.Msrp.ConnectionAttribute ?? TcpConnectionAttribute.New,
            // RFC 4572 / RFC 8122: the MG's own certificate where it terminates TLS; e2e passes the endpoint's on.
            Fingerprints = security switch
            {
                LegSecurity.Certificate => towards.Local.Media.Fingerprints,
                LegSecurity.Forwarded => source.Msrp.Fingerprints,
                _ => [],
            },
            // MSRP-aware: the MG's own URI for this side; agnostic: the endpoint's path passes (RFC 6714).
            Path = mode.MsrpAware ? towards.Local.Media.Path : null,
            Cema = mode.MsrpAware ? false : null,
            // TS 24.229 / TS 23.334 §6.2.10.3: e2ae is signalled to the UE as applied; the core never sees the indication.
            E2aeIndication = towards.Side == MsrpLeg.Access && security is LegSecurity.Certificate or LegSecurity.PreSharedKey
                && (_ueRequestedE2ae || _offerer == MsrpLeg.Core) ? "applied" : null,
        };
    }

    private (MsrpSessionMode? Mode, MgcFailure? Failure) DecideOriginating(ReceivedMedia offer)
    {
        LegSecurity access;
        if (offer.Msrp.IsTls)
        {
            access = _policy.PreSharedKey is not null ? LegSecurity.PreSharedKey
                : _policy.TerminateTls && offer.Msrp.Fingerprints.Count > 0 ? LegSecurity.Certificate
                : LegSecurity.Forwarded;
        }
        else if (_policy.AllowClearAccess)
        {
            access = LegSecurity.Clear;
        }
        else
        {
            return (null, new MgcFailure(MgcFailureKind.NotAcceptable, "clear TCP/MSRP from the UE is not allowed by policy"));
        }
        var core = access == LegSecurity.Forwarded ? LegSecurity.Forwarded : _policy.CoreTls ? LegSecurity.Certificate : LegSecurity.Clear;
        return Finish(access, core, offer, LooksNated(offer) || _policy.Latching == LatchingRule.Always);
    }

    private (MsrpSessionMode? Mode, MgcFailure? Failure) DecideTerminating(ReceivedMedia offer)
    {
        LegSecurity access, core;
        if (offer.Msrp.IsTls && _policy.TerminateTls && offer.Msrp.Fingerprints.Count > 0)
        {
            core = LegSecurity.Certificate;
            access = _policy.PreSharedKey is not null ? LegSecurity.PreSharedKey : LegSecurity.Certificate;
        }
        else if (offer.Msrp.IsTls)
        {
            core = access = LegSecurity.Forwarded;
        }
        else
        {
            core = LegSecurity.Clear;
            access = _policy.PreSharedKey is not null ? LegSecurity.PreSharedKey
                : _policy.OfferTlsToUe ? LegSecurity.Certificate
                : LegSecurity.Clear;
            if (access == LegSecurity.Clear && !_policy.AllowClearAccess)
            {
                return (null, new MgcFailure(MgcFailureKind.NotAcceptable, "clear TCP/MSRP towards the UE is not allowed by policy"));
            }
        }
        // The UE's address is not known before its answer; WhenBehindNat is decided then.
        return Finish(access, core, offer, _policy.Latching == LatchingRule.Always);
    }

    private (MsrpSessionMode? Mode, MgcFailure? Failure) Finish(LegSecurity access, LegSecurity core, ReceivedMedia offer, bool latching)
    {
        var aware = _policy.MsrpAwareness switch
        {
            MsrpAwareness.Always => true,
            MsrpAwareness.Never => false,
            _ => !offer.Msrp.Cema,
        };
        if (aware && access == LegSecurity.Forwarded)
        {
            // The MG cannot rewrite MSRP inside TLS it does not hold; without CEMA an RFC 4975 endpoint would take the
            // far endpoint's a=path and bypass the AGW (RFC 6714), so e2e through an anchoring AGW needs CEMA.
            return (null, new MgcFailure(MgcFailureKind.NotAcceptable, "e2e TLS through the AGW needs a=msrp-cema (RFC 6714) or MSRP-agnostic policy"));
        }
        return (new MsrpSessionMode(access, core, aware, latching, offer.Msrp.Cema), null);
    }

    /// <summary>The UE looks NATed: its SIP came from another address than its SDP's c= (policy WhenBehindNat).</summary>
    private bool LooksNated(ReceivedMedia ueMedia) =>
        _policy.Latching == LatchingRule.WhenBehindNat
        && _policy.UeSignallingAddress is { } signalling
        && !signalling.Equals(ueMedia.Address);

    /// <summary>
    /// The MG's role answering the UE's offered role: RFC 4145 §4.1, with actpass answered passive so that the UE,
    /// perhaps behind NAT, connects out; no a=setup in the offer means active (RFC 4145 §4).
    /// </summary>
    internal static SetupRole SetupTowardsUe(SetupRole? offered) => offered switch
    {
        null or SetupRole.Active or SetupRole.ActPass => SetupRole.Passive,
        SetupRole.Passive => SetupRole.Active,
        _ => SetupRole.HoldConn,
    };

    private static bool Complements(SetupRole offered, SetupRole answered) => offered switch
    {
        SetupRole.ActPass => true,
        SetupRole.HoldConn => answered == SetupRole.HoldConn,
        _ => answered == SetupRole.HoldConn || answered == SetupRoles.AnswerTo(offered),
    };

    private void MarkReleased()
    {
        if (!Context.IsNull)
        {
            _gateway.Router.Unregister(Context, this);
        }
        _state = MsrpSessionState.Released;
        _events.Complete();
    }

    private static SdpOutcome InvalidState(string detail) => SdpOutcome.Failed(new MgcFailure(MgcFailureKind.InvalidState, detail));

    private static SdpOutcome NotAcceptable(string detail) => SdpOutcome.Failed(new MgcFailure(MgcFailureKind.NotAcceptable, detail));

    /// <summary>One termination of the session: what was asked and what the MG filled.</summary>
    private sealed record Leg(MsrpLeg Side, TerminationId Id, LegRequest Request, FilledLocal Local);
}
