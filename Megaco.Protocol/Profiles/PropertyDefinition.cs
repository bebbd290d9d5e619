namespace Megaco.Protocol.Profiles;

/// <summary>
/// A package property (H.248.1 §12.1.2): its type and values, default, whether it may be written, and where it is
/// defined; <see cref="Source"/> names the clause or table it was confirmed in. A <see cref="Secret"/> property (a key)
/// never has its value written into an error text, a log or an audit reply.
/// </summary>
public sealed record PropertyDefinition(
    string Name,
    ushort Id,
    ValueDomain Domain,
    DescriptorKinds AllowedIn,
    bool ReadOnly = false,
    string? Default = null,
    bool Provisional = false,
    string? Note = null,
    string? Source = null,
    bool Secret = false);
