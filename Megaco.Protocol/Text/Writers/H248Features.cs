namespace Megaco.Protocol.Text.Writers;

/// <summary>
/// Constructs of the H.248.1 Annex B text encoding that only some protocol versions can express.
/// Each per-version writer lists the ones its version has; the shared writer refuses the others.
/// </summary>
[Flags]
internal enum H248Features : uint
{
    None = 0,
    /// <summary>v1 modemDescriptor (deprecated and removed from the v2 and v3 grammars).</summary>
    Modem = 1u << 0,
    /// <summary>v2 <c>O-</c> / <c>W-</c> command prefixes.</summary>
    CommandPrefixes = 1u << 1,
    /// <summary>v2 individual audit items (indAudterminationAudit) in an Audit descriptor.</summary>
    IndividualAudit = 1u << 2,
    /// <summary>v2 <c>EmergencyOff</c> context property.</summary>
    EmergencyOff = 1u << 3,
    /// <summary>v2 <c>, Stream = id</c> in a topologyTriple.</summary>
    TopologyStream = 1u << 4,
    /// <summary>v2 audit items inside a ServiceChange Services descriptor.</summary>
    ServiceChangeAuditItems = 1u << 5,
    /// <summary>v3 <c>[id, id]</c> termIDList in commands and replies.</summary>
    TerminationIdList = 1u << 6,
    /// <summary>v3 select values in indAud items (<c>Mode = ...</c>, <c>ServiceStates # ...</c>, property values) and indAud Local/Remote/Statistics.</summary>
    IndividualAuditSelect = 1u << 7,
    /// <summary>v3 Statistics descriptor inside a stream.</summary>
    StreamStatistics = 1u << 8,
    /// <summary>v3 IEPSCall, ContextAttr, ContextList and the extended ContextAudit items.</summary>
    ContextAttributes = 1u << 9,
    /// <summary>v3 <c>OnewayExternal</c> and <c>OnewayBoth</c> topology directions.</summary>
    TopologyExtendedDirections = 1u << 10,
    /// <summary>v3 signal parameters <c>SPADirection</c>, <c>SPARequestID</c>, <c>Intersignal</c> and the <c>Iteration</c> completion reason.</summary>
    SignalV3Parameters = 1u << 11,
    /// <summary>v3 notification behaviour and <c>ResetEventsDescriptor</c> of a requested event.</summary>
    NotifyBehaviour = 1u << 12,
    /// <summary>v3 segment numbers in replies and the <c>Segment</c> reply.</summary>
    Segmentation = 1u << 13,
    /// <summary>v3 <c>ServiceChangeInc</c>.</summary>
    ServiceChangeIncomplete = 1u << 14,
    /// <summary>v3 <c>Z:</c> duration timer of a digit map.</summary>
    DigitMapDurationTimer = 1u << 15,
}
