namespace Megaco.Protocol.Text.Writers.V2;

/// <summary>
/// Version 2 (RFC 3525): adds <c>O-</c>/<c>W-</c> prefixes, individual audit items, EmergencyOff,
/// a stream in topology triples and audit items in ServiceChange; drops the Modem descriptor.
/// </summary>
internal sealed class H248V2TextWriter : H248VersionTextWriter
{
    public static readonly H248V2TextWriter Instance = new();

    private H248V2TextWriter() { }

    public override int Version => 2;

    public override H248Features Features =>
        H248Features.CommandPrefixes
        | H248Features.IndividualAudit
        | H248Features.EmergencyOff
        | H248Features.TopologyStream
        | H248Features.ServiceChangeAuditItems;
}
