namespace Megaco.Protocol.Text.Writers.V3;

/// <summary>
/// Version 3 (H.248.1 2005): everything of v2 plus termination id lists, indAud selection, stream
/// statistics, context attributes and IEPS, extended topology directions, SPADirection /
/// SPARequestID / Intersignal, notify behaviour, segmentation and ServiceChangeInc.
/// </summary>
internal sealed class H248V3TextWriter : H248VersionTextWriter
{
    public static readonly H248V3TextWriter Instance = new();

    private H248V3TextWriter() { }

    public override int Version => 3;

    public override H248Features Features => H248VersionFeatures.V3;
}
