using Megaco.Mgc.Commands;
using Megaco.Mgc.Events;
using Megaco.Mgc.Results;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Logging;

namespace Megaco.Mgc.Gateway;

/// <summary>
/// One MG as the sessions and conferences of a controller use it: sends an action and reads its reply into
/// a typed outcome, undoes what a half-failed action left, and routes the MG's Notify.
/// </summary>
internal sealed class GatewayOperations(IMediaGatewayChannel channel, ProfileValidator? validator, ILogger logger)
{
    public GatewayEventRouter Router { get; } = new(validator);

    public ILogger Logger => logger;

    /// <summary>
    /// Sends one action. Success: the action reply. Failure: the typed failure, and the reply when the MG sent
    /// one (its context id and the commands done before the failing one).
    /// </summary>
    public async Task<(ActionReply? Reply, MgcFailure? Failure)> ExecuteAsync(ActionRequest action, CancellationToken cancellationToken)
    {
        Protocol.Transactions.TransactionResult result;
        try
        {
            result = await channel.SendRequestAsync([action], cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, new MgcFailure(MgcFailureKind.Cancelled, "cancelled by the caller"));
        }
        catch (Exception e) when (e is ObjectDisposedException or MegacoTransportException or InvalidOperationException)
        {
            return (null, new MgcFailure(MgcFailureKind.GatewayUnavailable, "the MG channel cannot send: " + e.Message));
        }
        if (GatewayReplies.TryGetAction(result, validator, out var reply, out var failure))
        {
            return (reply, null);
        }
        logger.LogWarning("MG refused or failed an action on context {Context}: {Failure}", action.ContextId, failure);
        return (reply, failure);
    }

    /// <summary>
    /// Best effort: subtracts terminations an action created before a later command of it failed (H.248.1 §8:
    /// the commands before the failing one stay executed), so nothing is left behind on the MG.
    /// </summary>
    public async Task UndoAsync(ContextId context, IReadOnlyList<TerminationId> created)
    {
        if (created.Count == 0 || context.IsNull || context.IsChoose || context.IsAll)
        {
            return;
        }
        var commands = new ValueList<CommandRequest>(created.Select(MsrpCommands.Subtract));
        using var timeout = new CancellationTokenSource(UndoTimeout);
        var (_, failure) = await ExecuteAsync(new ActionRequest(context, commands), timeout.Token).ConfigureAwait(false);
        if (failure is not null)
        {
            logger.LogWarning("Could not undo {Count} termination(s) in context {Context}: {Failure}", created.Count, context, failure);
        }
    }

    /// <summary>How long an undo may take; H.248.1 Annex D.1 retransmission gives up well before on its own.</summary>
    private static readonly TimeSpan UndoTimeout = TimeSpan.FromSeconds(30);
}
