using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Mgc.Gateway;

/// <summary>
/// An <see cref="IMediaGatewayChannel"/> over an MG registered with an <see cref="MgcRegistry"/>: requests go in the
/// version agreed at registration; while the MG is not registered they fail at once (NotAssociated), which the
/// sessions report as <see cref="Results.MgcFailureKind.GatewayUnavailable"/> (503). The owner's
/// <see cref="IMgcUser"/> forwards the MG's Notify to the controller's <c>HandleRequestAsync</c> and its restart
/// or loss to <c>OnGatewayLost</c>.
/// </summary>
public sealed class RegisteredMgChannel(RegisteredMg mg) : IMediaGatewayChannel
{
    private readonly RegisteredMg _mg = mg ?? throw new ArgumentNullException(nameof(mg));

    public RegisteredMg Mg => _mg;

    public int Version => _mg.Version;

    public Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken) =>
        _mg.SendRequestAsync(actions, cancellationToken);
}
