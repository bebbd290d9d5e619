namespace Megaco.Protocol.Model;

/// <summary><c>Error = code [{ "reason" }]</c> (H.248.1 §7.1.19); codes are those of H.248.8.</summary>
public sealed record ErrorDescriptor(ushort Code, string? Text = null) : Descriptor;
