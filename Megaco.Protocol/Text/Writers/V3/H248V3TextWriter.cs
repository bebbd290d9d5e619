namespace Megaco.Protocol.Text.Writers.V3;

/// <summary>
/// Version 3 (H.248.1 2005): everything of v2 plus termination id lists, indAud selection, stream
/// statistics, context attributes and IEPS, extended topology directions, SPADirection /
/// SPARequestID / Intersignal, notify behaviour, segmentation, ServiceChangeInc and the Z: timer.
/// </summary>
internal sealed class H248V3TextWriter : H248VersionTextWriter
{
    public static readonly H248V3TextWriter Instance = new();

    private H248V3TextWriter() { }

    public override int Version => 3;

    public override H248Features Features =>
        H248Features.CommandPrefixes
        | H248Features.IndividualAudit
        | H248Features.EmergencyOff
        | H248Features.TopologyStream
        | H248Features.ServiceChangeAuditItems
        | H248Features.TerminationIdList
        | H248Features.IndividualAuditSelect
        | H248Features.StreamStatistics
        | H248Features.ContextAttributes
        | H248Features.TopologyExtendedDirections
        | H248Features.SignalV3Parameters
        | H248Features.NotifyBehaviour
        | H248Features.Segmentation
        | H248Features.ServiceChangeIncomplete
        | H248Features.DigitMapDurationTimer;
}
