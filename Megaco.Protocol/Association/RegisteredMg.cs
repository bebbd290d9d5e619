using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Association;

/// <summary>
/// One MG known to an <see cref="MgcRegistry"/>: its mId, where it is reached, the agreed version and profile, and
/// its state. Requests to it go through <see cref="SendRequestAsync"/> in the agreed version.
/// </summary>
public sealed class RegisteredMg
{
    private readonly MgcRegistry _registry;

    internal RegisteredMg(MgcRegistry registry, MId mid, MegacoEndpoint endpoint)
    {
        _registry = registry;
        MId = mid;
        Endpoint = endpoint;
    }

    /// <summary>The MG's message identifier, as in its message headers.</summary>
    public MId MId { get; }

    /// <summary>Where requests to the MG go (its ServiceChangeAddress, else where its registration came from).</summary>
    public MegacoEndpoint Endpoint { get; internal set; }

    /// <summary>The protocol version agreed at registration (H.248.1 §11.3).</summary>
    public int Version { get; internal set; }

    /// <summary>The profile agreed at registration, or null when none was offered.</summary>
    public ServiceChangeProfile? Profile { get; internal set; }

    public RegisteredMgState State { get; internal set; }

    /// <summary>The ServiceChange method of the latest registration (Restart, Disconnected, Failover, HandOff).</summary>
    public ServiceChangeMethod Method { get; internal set; }

    /// <summary>How many times the MG registered with this MGC.</summary>
    public int Registrations { get; internal set; }

    /// <summary>Bumped at each registration, so that a late timeout of an older one cannot mark a newer one lost.</summary>
    internal int Generation { get; set; }

    internal long LastHeard { get; set; }

    internal ITimer? LivenessTimer { get; set; }

    /// <summary>
    /// Sends a transaction request to the MG in the agreed version. Fails at once with
    /// <see cref="TransactionFailure.NotAssociated"/> when the MG is not registered; a request the MG never answers
    /// marks it lost.
    /// </summary>
    public Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken) =>
        _registry.SendAsync(this, actions, cancellationToken);

    /// <summary>Hands the MG to another MGC: ServiceChange HandOff on ROOT with MgcIdToTry, reason 903 (H.248.1 §7.2.8).
    /// When the MG accepts, it is <see cref="RegisteredMgState.HandedOff"/> and the user hears it as lost.</summary>
    public Task<TransactionResult> HandOffAsync(MId mgcIdToTry, CancellationToken cancellationToken) =>
        _registry.HandOffAsync(this, mgcIdToTry, cancellationToken);

    public override string ToString() => $"{MId.Address}{(MId.Port is { } port ? ":" + port : "")} at {Endpoint}";
}
