namespace Megaco.Protocol.Profiles;

/// <summary>An event, observed-event or signal parameter (H.248.1 §12.1.3, §12.1.4).</summary>
public sealed record ParameterDefinition(string Name, ushort Id, ValueDomain Domain, string? Default = null);
