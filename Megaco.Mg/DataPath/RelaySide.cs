namespace Megaco.Mg.DataPath;

/// <summary>One of the two bearers a <see cref="Relay"/> joins.</summary>
public enum RelaySide : byte
{
    A,
    B,
}
