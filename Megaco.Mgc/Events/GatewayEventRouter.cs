using System.Collections.Concurrent;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;

namespace Megaco.Mgc.Events;

/// <summary>
/// Routes the MG's Notify requests (H.248.1 §7.2.7) to the session or conference that owns the context, and
/// builds the reply. Validates each with the profile when a validator is given.
/// </summary>
internal sealed class GatewayEventRouter(ProfileValidator? validator)
{
    private readonly ConcurrentDictionary<uint, IGatewayEventTarget> _targets = new();
    private uint _nextRequestId;

    public int Count => _targets.Count;

    /// <summary>A fresh RequestID for an Events descriptor (H.248.1 §7.1.9), never 0.</summary>
    public uint NextRequestId()
    {
        var id = Interlocked.Increment(ref _nextRequestId);
        return id == 0 ? Interlocked.Increment(ref _nextRequestId) : id;
    }

    public void Register(ContextId context, IGatewayEventTarget target) => _targets[context.Value] = target;

    public void Unregister(ContextId context, IGatewayEventTarget target) =>
        _targets.TryRemove(new KeyValuePair<uint, IGatewayEventTarget>(context.Value, target));

    /// <summary>Every context is gone (the MG restarted or was lost): each owner hears it once and is forgotten.</summary>
    public void GatewayLost()
    {
        foreach (var (context, target) in _targets)
        {
            if (_targets.TryRemove(new KeyValuePair<uint, IGatewayEventTarget>(context, target)))
            {
                target.OnGatewayLost();
            }
        }
    }

    public TransactionAnswer Handle(IncomingRequest request)
    {
        var replies = new List<ActionReply>(request.Request.Actions.Count);
        foreach (var action in request.Request.Actions)
        {
            replies.Add(Handle(action));
        }
        return TransactionAnswer.Replies(new ValueList<ActionReply>(replies));
    }

    private ActionReply Handle(ActionRequest action)
    {
        var commands = new List<CommandReply>(action.Commands.Count);
        foreach (var request in action.Commands)
        {
            if (request.Command is not NotifyRequest notify)
            {
                // H.248.1 §7.2: an MG sends Notify and ServiceChange; ServiceChange belongs to the association.
                return Failed(action.ContextId, commands, H248ErrorCode.UnsupportedOrUnknownCommand, "only Notify is handled here");
            }
            if (validator?.Validate(request) is { } invalid)
            {
                return new ActionReply(action.ContextId, new ValueList<CommandReply>(commands), invalid);
            }
            if (!_targets.TryGetValue(action.ContextId.Value, out var target))
            {
                return Failed(action.ContextId, commands, H248ErrorCode.UnknownContextId, "no session owns context " + action.ContextId);
            }
            if (notify.TerminationIds.Count != 1 || notify.ObservedEvents is not { } observed)
            {
                return Failed(action.ContextId, commands, H248ErrorCode.SyntaxErrorInCommand, "a Notify names one termination and carries ObservedEvents");
            }
            if (target.OnNotify(notify.TerminationIds[0], observed) is { } error)
            {
                return new ActionReply(action.ContextId, new ValueList<CommandReply>(commands), error);
            }
            commands.Add(new NotifyReply(notify.TerminationIds));
        }
        return new ActionReply(action.ContextId, new ValueList<CommandReply>(commands));
    }

    private static ActionReply Failed(ContextId context, List<CommandReply> done, H248ErrorCode code, string text) =>
        new(context, new ValueList<CommandReply>(done), new ErrorDescriptor((ushort)code, text));
}
