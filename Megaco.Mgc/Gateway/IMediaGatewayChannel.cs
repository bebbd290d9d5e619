using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Mgc.Gateway;

/// <summary>
/// The MGC's way to one registered MG: send a transaction request and get its outcome. The association's
/// <c>RegisteredMg</c> handle has exactly <see cref="SendRequestAsync"/>; <see cref="TransactionManagerChannel"/>
/// adapts a plain <see cref="TransactionManager"/>.
/// </summary>
public interface IMediaGatewayChannel
{
    /// <summary>The protocol version negotiated with the MG (H.248.1 §11.3), 1 to 3.</summary>
    int Version { get; }

    /// <summary>
    /// Sends one transaction request and completes with the MG's reply or why there is none. Cancelling
    /// abandons the request locally (the MG may still execute it).
    /// </summary>
    Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken);
}
