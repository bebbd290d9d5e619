using System.Collections.Concurrent;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>
/// A user that answers Subtract requests with a Subtract reply for the same terminations, counts every
/// execution per (peer, transaction id), and can be held until a test releases it.
/// </summary>
internal sealed class RecordingUser : IMegacoUser
{
    private readonly ConcurrentDictionary<(MegacoEndpoint Peer, uint Id), int> _executions = new();
    private readonly ConcurrentQueue<MegacoEvent> _events = new();

    /// <summary>When set, each execution waits for it (or for its cancellation).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, how long each execution takes, by transaction id.</summary>
    public Func<uint, TimeSpan>? Delay { get; set; }

    public int Calls => _executions.Values.Sum();

    public int CancelledCalls;

    public IReadOnlyDictionary<(MegacoEndpoint Peer, uint Id), int> Executions => _executions;

    public IReadOnlyCollection<MegacoEvent> Events => _events;

    public async ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        _executions.AddOrUpdate((request.Peer, request.Request.TransactionId), 1, (_, n) => n + 1);
        if (Gate is { } gate)
        {
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref CancelledCalls);
                throw;
            }
        }
        if (Delay?.Invoke(request.Request.TransactionId) is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }
        var replies = request.Request.Actions.Select(action => new ActionReply(action.ContextId,
            new ValueList<CommandReply>(action.Commands.Select(c => (CommandReply)new AmmsReply(AmmsKind.Subtract, c.Command.TerminationIds)))));
        return TransactionAnswer.Replies(new ValueList<ActionReply>(replies));
    }

    public ValueTask OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(megacoEvent);
        return ValueTask.CompletedTask;
    }

    /// <summary>One action: Subtract of <c>rtp/{n}</c> in context 1.</summary>
    public static ValueList<ActionRequest> Subtract(int n) =>
        [new ActionRequest(new ContextId(1), [new CommandRequest(new SubtractRequest([new TerminationId($"rtp/{n}")]))])];

    /// <summary>The termination a reply names, to check it answers the right request.</summary>
    public static string? RepliedTermination(TransactionReply? reply) =>
        reply?.Actions.Count > 0 && reply.Actions[0].Commands.Count > 0 ? reply.Actions[0].Commands[0].TerminationIds[0].Text : null;
}
