namespace Megaco.Protocol.Profiles;

/// <summary>An error code a package defines (H.248.1 §12.1.6).</summary>
public sealed record PackageErrorCode(ushort Code, string Name, bool Provisional = false, string? Note = null);
