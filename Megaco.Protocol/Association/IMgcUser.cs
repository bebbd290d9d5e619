using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Association;

/// <summary>
/// What the MGC application behind an <see cref="MgcRegistry"/> implements. The registry answers ServiceChanges
/// and <c>it/ito</c> Notifies on ROOT itself; everything else an MG sends comes to <see cref="HandleRequestAsync"/>.
/// Registration calls come after the ServiceChange reply is on its way, one MG at a time in order.
/// </summary>
public interface IMgcUser
{
    /// <summary>An MG asks to register; false refuses it (503). Called before the reply, with the MG not yet in the registry's
    /// state; the default accepts.</summary>
    ValueTask<bool> OnMgRegisteringAsync(RegisteredMg mg, ServiceChangeParm parm, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>The MG is registered (first time, or again after Disconnected, Failover or HandOff with its contexts kept).</summary>
    ValueTask OnMgRegisteredAsync(RegisteredMg mg, CancellationToken cancellationToken);

    /// <summary>The MG registered again with Restart: its contexts are gone, so whoever owned a session on it must learn it.</summary>
    ValueTask OnMgRestartedAsync(RegisteredMg mg, CancellationToken cancellationToken);

    /// <summary>The MG stopped answering, lost its connection, or took itself out of service.</summary>
    ValueTask OnMgLostAsync(RegisteredMg mg, string reason, CancellationToken cancellationToken);

    /// <summary>A request from a registered MG that is not association business (a Notify of a termination's events, say).</summary>
    ValueTask<TransactionAnswer> HandleRequestAsync(RegisteredMg mg, IncomingRequest request, CancellationToken cancellationToken);

    /// <summary>Something about the transport or a peer the user may want to know (syntax errors, failed sends).</summary>
    ValueTask OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
