using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Mgc.Gateway;

/// <summary>
/// An <see cref="IMediaGatewayChannel"/> over a <see cref="TransactionManager"/> the caller owns and has
/// started: every request goes to <see cref="Peer"/> in <see cref="Version"/>.
/// </summary>
public sealed class TransactionManagerChannel : IMediaGatewayChannel
{
    private readonly TransactionManager _manager;

    public TransactionManagerChannel(TransactionManager manager, MegacoEndpoint peer, int version)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, 3);
        _manager = manager;
        Peer = peer;
        Version = version;
    }

    public MegacoEndpoint Peer { get; }

    public int Version { get; }

    public Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken) =>
        _manager.SendRequestAsync(Peer, Version, actions, cancellationToken);
}
