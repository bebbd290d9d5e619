using System.Collections.Concurrent;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Association;

/// <summary>An MG application that records what the association tells it and answers every request with <see cref="MiniMg"/>.</summary>
internal sealed class RecordingMgUser : IMgUser
{
    public ConcurrentQueue<MgAssociationChange> Changes { get; } = new();

    public ConcurrentQueue<IncomingRequest> Requests { get; } = new();

    public MiniMg Behaviour { get; } = new();

    public MgAssociationChange[] ChangesOf(MgAssociationState state) => [.. Changes.Where(c => c.State == state)];

    public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return ValueTask.FromResult(Behaviour.Answer(request.Request));
    }

    public ValueTask OnAssociationChangedAsync(MgAssociationChange change, CancellationToken cancellationToken)
    {
        Changes.Enqueue(change);
        return ValueTask.CompletedTask;
    }

    public ConcurrentQueue<MegacoEvent> Events { get; } = new();

    public ValueTask OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(megacoEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>An MGC application that records registrations, restarts, losses and requests, and answers Notify.</summary>
internal sealed class RecordingMgcUser : IMgcUser
{
    public ConcurrentQueue<RegisteredMg> Registered { get; } = new();

    public ConcurrentQueue<ServiceChangeMethod> Methods { get; } = new();

    public ConcurrentQueue<RegisteredMg> Restarted { get; } = new();

    public ConcurrentQueue<(RegisteredMg Mg, string Reason)> Lost { get; } = new();

    public ConcurrentQueue<IncomingRequest> Requests { get; } = new();

    /// <summary>When set, a registration is declined.</summary>
    public bool Decline { get; set; }

    public ValueTask<bool> OnMgRegisteringAsync(RegisteredMg mg, ServiceChangeParm parm, CancellationToken cancellationToken) => ValueTask.FromResult(!Decline);

    public ValueTask OnMgRegisteredAsync(RegisteredMg mg, CancellationToken cancellationToken)
    {
        Methods.Enqueue(mg.Method);
        Registered.Enqueue(mg);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMgRestartedAsync(RegisteredMg mg, CancellationToken cancellationToken)
    {
        Restarted.Enqueue(mg);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMgLostAsync(RegisteredMg mg, string reason, CancellationToken cancellationToken)
    {
        Lost.Enqueue((mg, reason));
        return ValueTask.CompletedTask;
    }

    public ValueTask<TransactionAnswer> HandleRequestAsync(RegisteredMg mg, IncomingRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var replies = request.Request.Actions.Select(a => new ActionReply(a.ContextId,
            [.. a.Commands.Select(c => c.Command is NotifyRequest n ? new NotifyReply(n.TerminationIds) : (CommandReply)new AmmsReply(AmmsKind.Modify, c.Command.TerminationIds))]));
        return ValueTask.FromResult(TransactionAnswer.Replies([.. replies]));
    }
}
