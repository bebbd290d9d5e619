namespace Megaco.Protocol.Profiles;

/// <summary>The descriptors a package property may appear in (H.248.1 §12.1.2 "Defined in").</summary>
[Flags]
public enum DescriptorKinds : byte
{
    None = 0,
    TerminationState = 1 << 0,
    LocalControl = 1 << 1,
}
