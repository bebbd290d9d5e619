using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Association;

/// <summary>
/// A change of the MG's association: <see cref="State"/> now, with the MGC, the negotiated version and profile
/// when registered, the ServiceChange method the registration used (Restart, Disconnected, HandOff, Failover)
/// and what happened in words.
/// </summary>
public sealed record MgAssociationChange(
    MgAssociationState State,
    MegacoEndpoint? Mgc,
    int Version,
    ServiceChangeProfile? Profile,
    ServiceChangeMethod? Method,
    string Detail);
