namespace Megaco.Protocol.Text;

/// <summary>
/// Constructs of the H.248.1 Annex B text encoding that only some protocol versions have. The reader
/// refuses a construct its message's version lacks (each version has its own grammar, as in Erlang/OTP
/// megaco's one parser per version), and the writer refuses to write one.
/// </summary>
[Flags]
internal enum H248Features : uint
{
    None = 0,
    /// <summary>modemDescriptor: deprecated since v2 but still in every version's ABNF, so every version may carry it.</summary>
    Modem = 1u << 0,
    /// <summary><c>O-</c> / <c>W-</c> command prefixes (in the ABNF since RFC 3525, v1).</summary>
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
    /// <summary>v3 Statistics descriptor inside a stream and as an Add/Move/Modify parameter.</summary>
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
    /// <summary>v2 <c>Z:</c> duration timer of a digit map.</summary>
    DigitMapDurationTimer = 1u << 15,
}

/// <summary>Which <see cref="H248Features"/> each protocol version's grammar has.</summary>
internal static class H248VersionFeatures
{
    /// <summary>
    /// Version 1 (RFC 3525, which replaced RFC 3015): the base grammar. Its commandRequestList already
    /// allows the "O-" and "W-" prefixes (Erlang/OTP megaco's v1 parser reads them), and the Modem
    /// descriptor, deprecated since v2, stays in every version's ABNF.
    /// </summary>
    public const H248Features V1 = H248Features.Modem | H248Features.CommandPrefixes;

    /// <summary>
    /// Version 2 (H.248.1 v2, 05/2002): adds individual audit items, EmergencyOff, a stream in topology
    /// triples, audit items in ServiceChange and the digit map Z: timer (Annex A DigitMapValue.durationTimer).
    /// </summary>
    public const H248Features V2 = V1
        | H248Features.IndividualAudit
        | H248Features.EmergencyOff
        | H248Features.TopologyStream
        | H248Features.ServiceChangeAuditItems
        | H248Features.DigitMapDurationTimer;

    /// <summary>
    /// Version 3 (H.248.1 2005): adds termination id lists, indAud selection, stream statistics, context
    /// attributes and IEPS, extended topology directions, SPADirection / SPARequestID / Intersignal,
    /// notify behaviour, segmentation and ServiceChangeInc.
    /// </summary>
    public const H248Features V3 = V2
        | H248Features.TerminationIdList
        | H248Features.IndividualAuditSelect
        | H248Features.StreamStatistics
        | H248Features.ContextAttributes
        | H248Features.TopologyExtendedDirections
        | H248Features.SignalV3Parameters
        | H248Features.NotifyBehaviour
        | H248Features.Segmentation
        | H248Features.ServiceChangeIncomplete;

    public static H248Features Of(int version) => version switch
    {
        1 => V1,
        2 => V2,
        _ => V3,
    };
}
