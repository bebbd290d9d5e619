using System.Globalization;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Association;

/// <summary>
/// The ROOT-level commands of the control association, built and recognised in one place: ServiceChange
/// (H.248.1 §7.2.8), the inactivity timer's Events and Notify (H.248.14 <c>it/ito</c>), and the AuditValue
/// of ROOT an MGC uses to see whether an MG is alive.
/// </summary>
public static class RootCommands
{
    /// <summary>H.248.14 Inactivity Timer package, event ito (inactivity timeout) and its parameter mit.</summary>
    public static readonly PkgdName InactivityTimeout = new("it", "ito");

    private const string MaxInactivityTime = "mit";

    /// <summary>H.248.14: mit counts in units of 10 ms.</summary>
    private static readonly TimeSpan MitUnit = TimeSpan.FromMilliseconds(10);

    private static readonly ValueList<TerminationId> Root = [TerminationId.Root];

    /// <summary><c>Context = - { ServiceChange = ROOT { Services { ... } } }</c>.</summary>
    public static ValueList<ActionRequest> ServiceChange(ServiceChangeParm parm) =>
        [new ActionRequest(ContextId.Null, [new CommandRequest(new ServiceChangeRequest(Root, parm))])];

    /// <summary>The answer to a ROOT ServiceChange: the reply's Services, or none.</summary>
    public static TransactionAnswer ServiceChangeAccepted(ServiceChangeResParm? result = null) =>
        TransactionAnswer.Replies([new ActionReply(ContextId.Null, [new ServiceChangeReply(Root, result is { IsEmpty: false } ? result : null)])]);

    /// <summary>The answer refusing a ROOT ServiceChange with an Error descriptor in its command reply (H.248.1 §7.2.8).</summary>
    public static TransactionAnswer ServiceChangeRefused(H248ErrorCode code, string? text) =>
        TransactionAnswer.Replies([new ActionReply(ContextId.Null, [new ServiceChangeReply(Root, null, new ErrorDescriptor((ushort)code, text))])]);

    /// <summary>
    /// The ServiceChange on ROOT that <paramref name="request"/> consists of (one action, one command), or null.
    /// Anything else, a ServiceChange on a termination included, is not association business.
    /// </summary>
    public static ServiceChangeParm? RootServiceChange(TransactionRequest request) =>
        SingleCommand(request) is ServiceChangeRequest { TerminationIds: [{ IsRoot: true }] } serviceChange ? serviceChange.Parms : null;

    /// <summary>What the reply to a ServiceChange says: its Services, or the error it carries at any level.</summary>
    public static (ServiceChangeResParm? Result, ErrorDescriptor? Error) ReadServiceChangeReply(TransactionReply reply)
    {
        if (reply.Error is { } transactionError)
        {
            return (null, transactionError);
        }
        foreach (var action in reply.Actions)
        {
            if (action.Error is { } actionError)
            {
                return (null, actionError);
            }
            foreach (var command in action.Commands)
            {
                if (command is ServiceChangeReply serviceChange)
                {
                    return (serviceChange.Result, serviceChange.Error);
                }
            }
        }
        return (null, null);
    }

    /// <summary><c>Modify = ROOT { Events = id { it/ito { mit = n } } }</c>: the MGC asks for the heartbeat (H.248.14).</summary>
    public static ValueList<ActionRequest> RequestInactivityTimer(uint requestId, TimeSpan maxInactivity)
    {
        var units = Math.Max(1, (long)Math.Ceiling(maxInactivity / MitUnit));
        var mit = new PropertyParm(new PkgdName("", MaxInactivityTime), [units.ToString(CultureInfo.InvariantCulture)]);
        var events = new EventsDescriptor(requestId, [new RequestedEvent(InactivityTimeout, Parameters: [mit])]);
        return [new ActionRequest(ContextId.Null, [new CommandRequest(new AmmRequest(AmmKind.Modify, Root, [events]))])];
    }

    /// <summary>
    /// Whether <paramref name="request"/> is a Modify of ROOT whose only descriptor is an Events descriptor that
    /// requests <c>it/ito</c> alone (<paramref name="maxInactivity"/> then is its mit, or null when absent) or
    /// clears the events (<paramref name="requestId"/> null). Malformed mit values make it not match, so the user
    /// (or the default error path) answers it.
    /// </summary>
    public static bool IsInactivityTimerRequest(TransactionRequest request, out uint? requestId, out TimeSpan? maxInactivity)
    {
        requestId = null;
        maxInactivity = null;
        if (SingleCommand(request) is not AmmRequest { Kind: AmmKind.Modify, TerminationIds: [{ IsRoot: true }], Descriptors: [EventsDescriptor events] })
        {
            return false;
        }
        if (events.Events.IsEmpty)
        {
            return events.RequestId is null;
        }
        if (events.RequestId is not { } id || events.Events is not [{ } requested] || !IsInactivityTimeout(requested.Name))
        {
            return false;
        }
        foreach (var parameter in requested.Parameters)
        {
            if (!string.Equals(parameter.Name.Item, MaxInactivityTime, StringComparison.OrdinalIgnoreCase)
                || parameter.Value is not { } text
                || !uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var units)
                || units == 0)
            {
                return false;
            }
            maxInactivity = MitUnit * units;
        }
        requestId = id;
        return true;
    }

    /// <summary>The reply to a Modify of ROOT.</summary>
    public static TransactionAnswer RootModified() =>
        TransactionAnswer.Replies([new ActionReply(ContextId.Null, [new AmmsReply(AmmsKind.Modify, Root)])]);

    /// <summary><c>Notify = ROOT { ObservedEvents = id { it/ito } }</c>: the MG has heard nothing for mit (H.248.14).</summary>
    public static ValueList<ActionRequest> InactivityNotify(uint requestId) =>
        [new ActionRequest(ContextId.Null, [new CommandRequest(new NotifyRequest(Root, new ObservedEventsDescriptor(requestId, [new ObservedEvent(InactivityTimeout)])))])];

    /// <summary>Whether <paramref name="request"/> is a Notify of <c>it/ito</c> on ROOT.</summary>
    public static bool IsInactivityNotify(TransactionRequest request) =>
        SingleCommand(request) is NotifyRequest { TerminationIds: [{ IsRoot: true }], ObservedEvents.Events: [{ } observed] }
        && IsInactivityTimeout(observed.Name);

    /// <summary>The reply to a Notify on ROOT.</summary>
    public static TransactionAnswer RootNotified() =>
        TransactionAnswer.Replies([new ActionReply(ContextId.Null, [new NotifyReply(Root)])]);

    /// <summary><c>Context = - { AuditValue = ROOT { Audit { } } }</c>: the cheapest request an MG must answer.</summary>
    public static ValueList<ActionRequest> AuditRoot() =>
        [new ActionRequest(ContextId.Null, [new CommandRequest(new AuditRequest(AuditKind.Value, Root, AuditDescriptor.Empty))])];

    /// <summary>H.248.1 Annex B: names are case-insensitive (Erlang writes them in lower case, others as defined).</summary>
    private static bool IsInactivityTimeout(PkgdName name) =>
        string.Equals(name.Package, InactivityTimeout.Package, StringComparison.OrdinalIgnoreCase)
        && string.Equals(name.Item, InactivityTimeout.Item, StringComparison.OrdinalIgnoreCase);

    private static Command? SingleCommand(TransactionRequest request) =>
        request.Actions is [{ ContextId.IsNull: true, Commands: [{ } command] }] ? command.Command : null;
}
