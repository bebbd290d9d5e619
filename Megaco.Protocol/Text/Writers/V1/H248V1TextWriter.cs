namespace Megaco.Protocol.Text.Writers.V1;

/// <summary>Version 1 (RFC 3525, which replaced RFC 3015): the base grammar and nothing added later.</summary>
internal sealed class H248V1TextWriter : H248VersionTextWriter
{
    public static readonly H248V1TextWriter Instance = new();

    private H248V1TextWriter() { }

    public override int Version => 1;

    public override H248Features Features => H248VersionFeatures.V1;
}
