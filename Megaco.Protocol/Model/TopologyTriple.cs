namespace Megaco.Protocol.Model;

public enum TopologyDirection : byte
{
    Bothway,
    Isolate,
    Oneway,
    /// <summary>v3 <c>OnewayExternal</c>.</summary>
    OnewayExternal,
    /// <summary>v3 <c>OnewayBoth</c>.</summary>
    OnewayBoth,
}

/// <summary>
/// <c>terminationA , terminationB , direction [, Stream = id] [, directionExtension]</c> (H.248.1 §7.1.18).
/// v3 adds <see cref="Extension"/> (OnewayExternal / OnewayBoth) beside a Oneway direction, as the
/// ASN.1 TopologyRequest's topologyDirectionExtension.
/// </summary>
public sealed record TopologyTriple(
    TerminationId From,
    TerminationId To,
    TopologyDirection Direction,
    ushort? StreamId = null,
    TopologyDirection? Extension = null);
