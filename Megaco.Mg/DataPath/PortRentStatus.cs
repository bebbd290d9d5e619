namespace Megaco.Mg.DataPath;

public enum PortRentStatus : byte
{
    Rented,

    /// <summary>Every port of the range is rented or taken by another process; the MGC gets a resource error, not an exception.</summary>
    Exhausted,
}
