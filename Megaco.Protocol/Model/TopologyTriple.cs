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

/// <summary><c>terminationA , terminationB , direction [, Stream = id]</c> (H.248.1 §7.1.18).</summary>
public sealed record TopologyTriple(
    TerminationId From,
    TerminationId To,
    TopologyDirection Direction,
    ushort? StreamId = null);
