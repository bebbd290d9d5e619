namespace Megaco.Protocol.Profiles;

/// <summary>Whether a profile mandates a package or only allows it (TS 29.334 §5.14.1 / §5.14.2).</summary>
public enum PackageSupport : byte
{
    Mandatory,
    Optional,
}
