namespace Megaco.Mg.Contexts;

/// <summary>Where a termination's TCP bearer is.</summary>
public enum BearerPhase : byte
{
    /// <summary>No bearer yet: the descriptors do not say enough (no Remote, holdconn), or it is out of service.</summary>
    None,

    /// <summary>Listening or connecting.</summary>
    Establishing,

    Established,

    /// <summary>Establishment timed out or failed (tcpx/fail was raised).</summary>
    Failed,

    /// <summary>The connection ended (tcpx/lost was raised).</summary>
    Released,
}
