using Megaco.Mgc.Gateway;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Mgc.Conferences;

/// <summary>
/// The MRFC's handle on one MRFP (Mp, TS 29.333): creates MSRP conferences, each a context with one
/// termination per participant, and takes the MRFP's Notify requests for them.
/// </summary>
public sealed class MsrpConferenceController
{
    /// <summary>Participants per conference unless the caller says otherwise; the MRFP's own limit answers 434 beyond its own.</summary>
    public const int DefaultMaxParticipants = 64;

    private readonly GatewayOperations _gateway;

    public MsrpConferenceController(IMediaGatewayChannel gateway, ProfileValidator? validator = null, ILogger<MsrpConferenceController>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _gateway = new GatewayOperations(gateway, validator, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Contexts that conferences of this controller hold on the MRFP.</summary>
    public int ActiveContexts => _gateway.Router.Count;

    /// <summary>A new, empty conference; its context is created with the first participant (H.248.1 §6.1: no empty context).</summary>
    public MsrpConference CreateConference(int maxParticipants = DefaultMaxParticipants)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParticipants, 1);
        return new MsrpConference(_gateway, maxParticipants);
    }

    /// <summary>Answers the MRFP's Notify requests (see <see cref="Sessions.MsrpSessionController.HandleRequestAsync"/>).</summary>
    public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_gateway.Router.Handle(request));
    }

    /// <summary>The MRFP restarted or was lost: every conference hears GatewayLost and is emptied.</summary>
    public void OnGatewayLost() => _gateway.Router.GatewayLost();
}
