namespace Megaco.Protocol.Profiles;

/// <summary>
/// The value types a package item may declare (H.248.1 §12.1.2: boolean, integer, double,
/// character string, enumeration, octet string, list and sub-list of these).
/// </summary>
public enum ValueType : byte
{
    /// <summary>Text encoding <c>on</c> / <c>off</c> (H.248.1 Annex B).</summary>
    Boolean,
    /// <summary>A decimal integer, bounded by the item's range when one is given.</summary>
    Integer,
    /// <summary>One of the listed names, compared case-insensitively.</summary>
    Enum,
    /// <summary>A character string (quoted on the wire when it needs to be).</summary>
    String,
    /// <summary>An octet string: hex digits in text encoding.</summary>
    OctetString,
}
