namespace Megaco.Protocol.Text.Writers.V2;

/// <summary>
/// Version 2 (H.248.1 v2, 05/2002): adds individual audit items, EmergencyOff, a stream in topology
/// triples, audit items in ServiceChange and the digit map Z: timer.
/// </summary>
internal sealed class H248V2TextWriter : H248VersionTextWriter
{
    public static readonly H248V2TextWriter Instance = new();

    private H248V2TextWriter() { }

    public override int Version => 2;

    public override H248Features Features => H248VersionFeatures.V2;
}
