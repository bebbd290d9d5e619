namespace Megaco.Protocol.Profiles;

/// <summary>A package statistic with its type and UCUM unit (H.248.1 §12.1.5).</summary>
public sealed record StatisticDefinition(
    string Name,
    ushort Id,
    string? Description,
    ValueDomain Domain,
    bool Provisional = false,
    string? Note = null,
    string? Source = null);
