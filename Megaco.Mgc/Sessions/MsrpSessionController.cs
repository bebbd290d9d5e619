using Megaco.Mgc.Gateway;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Mgc.Sessions;

/// <summary>
/// The IMS-ALG's handle on one IMS-AGW (or TrGW): creates an <see cref="MsrpSession"/> per SIP dialog and
/// takes the MG's Notify requests for their contexts. Thread-safe; sessions serialize their own calls.
/// </summary>
public sealed class MsrpSessionController
{
    private readonly GatewayOperations _gateway;

    /// <param name="gateway">The MG (the association's RegisteredMg adapted, or <see cref="TransactionManagerChannel"/>).</param>
    /// <param name="validator">When given, every reply and Notify from the MG is checked against the negotiated profile.</param>
    public MsrpSessionController(IMediaGatewayChannel gateway, ProfileValidator? validator = null, ILogger<MsrpSessionController>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _gateway = new GatewayOperations(gateway, validator, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Contexts that sessions of this controller hold on the MG.</summary>
    public int ActiveContexts => _gateway.Router.Count;

    /// <summary>A new session for one SIP dialog; nothing is sent before its first offer.</summary>
    public MsrpSession CreateSession(MsrpPolicy? policy = null) => new(_gateway, policy ?? MsrpPolicy.Default);

    /// <summary>
    /// Answers a request from the MG (the owner's IMegacoUser / IMgcUser forwards it): each Notify goes to the
    /// session owning its context (411 when none does, 430/435 unknown termination, 458 unexpected request id);
    /// other commands are answered 443.
    /// </summary>
    public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_gateway.Router.Handle(request));
    }

    /// <summary>
    /// The MG restarted or its association was lost (its contexts are gone): every session hears
    /// <see cref="Events.MsrpEventKind.GatewayLost"/> and ends.
    /// </summary>
    public void OnGatewayLost() => _gateway.Router.GatewayLost();
}
