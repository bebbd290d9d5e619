using System.Net;
using Megaco.Mg.Diagnostics;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.DataPath;

/// <summary>What the control layer knows about one TCP bearer once it has read the termination's descriptors.</summary>
public sealed class TcpBearerOptions
{
    /// <summary>The MG's own setup role on this termination (its Local <c>a=setup</c>, RFC 4145 §4).</summary>
    public required SetupRole Role { get; init; }

    /// <summary>The peer's address and port from the Remote descriptor; required to connect out, and the admitted address without latching.</summary>
    public IPEndPoint? Remote { get; init; }

    /// <summary>Latch onto the first source (IP NAPT traversal); otherwise only <see cref="Remote"/>'s address may connect.</summary>
    public bool Latching { get; init; }

    /// <summary>The address to connect out from; the pool's address when null.</summary>
    public IPAddress? LocalAddress { get; init; }

    public MgLimits Limits { get; init; } = new();

    public MgMetrics? Metrics { get; init; }

    /// <summary>
    /// Keep the port listening once established, to refuse later connections with a reset and count and
    /// report each (<see cref="OnRefused"/>). Off by default: the listener is closed at establishment, so the
    /// kernel refuses later connections unseen and a termination costs one descriptor, not two — what lets
    /// 8 000 sessions fit in a 20 000-descriptor limit.
    /// </summary>
    public bool KeepRefusing { get; init; }

    /// <summary>Called for every connection refused on the termination's port, with its source (the "refused and logged" of NAT latching).</summary>
    public Action<IPEndPoint>? OnRefused { get; init; }
}
