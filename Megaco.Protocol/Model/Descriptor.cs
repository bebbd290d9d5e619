namespace Megaco.Protocol.Model;

/// <summary>
/// A descriptor as it appears in a command request or in a terminationAudit of a reply
/// (H.248.1 §7.1). A present-but-empty descriptor is a value, never the same as an absent one.
/// </summary>
public abstract record Descriptor;
