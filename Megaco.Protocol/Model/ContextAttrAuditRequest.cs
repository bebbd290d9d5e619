namespace Megaco.Protocol.Model;

public enum AuditSelectLogic : byte
{
    /// <summary>v3 <c>ANDLgc</c>.</summary>
    And,
    /// <summary>v3 <c>ORLgc</c>.</summary>
    Or,
}

/// <summary>
/// <c>ContextAudit { ... }</c>: which context attributes to audit (Topology, Emergency, Priority,
/// IEPS, package properties) and, in v3, selection criteria (H.248.1 Annex B contextAudit).
/// </summary>
public sealed record ContextAttrAuditRequest(
    bool Topology = false,
    bool Emergency = false,
    bool Priority = false,
    bool Ieps = false,
    ValueList<PkgdName> Properties = default,
    ushort? SelectPriority = null,
    bool? SelectEmergency = null,
    bool? SelectIeps = null,
    AuditSelectLogic? SelectLogic = null,
    ValueList<PropertyParm> SelectProperties = default,
    bool InContextAttr = false);
