using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>A package event with its EventsDescriptor and ObservedEvents parameters (H.248.1 §12.1.3).</summary>
public sealed record EventDefinition(
    string Name,
    ushort Id,
    string? Description,
    ValueList<ParameterDefinition> Parameters,
    ValueList<ParameterDefinition> ObservedParameters,
    bool Provisional = false,
    string? Note = null,
    string? Source = null);
