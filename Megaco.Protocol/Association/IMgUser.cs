using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Association;

/// <summary>
/// What the MG application behind an <see cref="MgAssociation"/> implements. The association keeps the
/// registration, the ROOT ServiceChanges and the <c>it/ito</c> heartbeat to itself; everything else is the user's.
/// </summary>
public interface IMgUser
{
    /// <summary>Executes a request from the MGC that is not association business (Add, Modify, Subtract, audits,
    /// other ROOT settings). Called at most once per request; an exception becomes error 500.</summary>
    ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken);

    /// <summary>The association changed: registered (with whom, which version and profile), lost, stopped.
    /// Calls come one at a time, in order.</summary>
    ValueTask OnAssociationChangedAsync(MgAssociationChange change, CancellationToken cancellationToken);

    /// <summary>Something about the transport or a peer the user may want to know (syntax errors, failed sends).</summary>
    ValueTask OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
