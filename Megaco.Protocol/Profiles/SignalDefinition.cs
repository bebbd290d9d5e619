using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>A package signal: its default type and duration and its parameters (H.248.1 §12.1.4).</summary>
public sealed record SignalDefinition(
    string Name,
    ushort Id,
    string? Description,
    SignalType Type,
    int? DurationMs,
    ValueList<ParameterDefinition> Parameters,
    bool Provisional = false,
    string? Note = null,
    string? Source = null);
