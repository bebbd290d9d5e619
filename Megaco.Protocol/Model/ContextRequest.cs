namespace Megaco.Protocol.Model;

/// <summary>
/// Context properties (H.248.1 Annex B contextProperty): topology, priority, emergency,
/// IEPS and, in v3, the context attribute descriptor with package properties or a context list.
/// </summary>
public sealed record ContextRequest(
    ValueList<TopologyTriple> Topology = default,
    ushort? Priority = null,
    bool? Emergency = null,
    bool? IepsCall = null,
    ValueList<PropertyParm> ContextProperties = default,
    ValueList<ContextId> ContextList = default)
{
    public bool IsEmpty =>
        Topology.IsEmpty && Priority is null && Emergency is null && IepsCall is null
        && ContextProperties.IsEmpty && ContextList.IsEmpty;
}
