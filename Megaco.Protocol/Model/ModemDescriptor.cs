namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Modem (= type / [type *(, type)]) [{ propertyParm *(, propertyParm) }]</c> (H.248.1 §7.1.2).
/// Deprecated since v2, still read.
/// </summary>
public sealed record ModemDescriptor(ValueList<string> ModemTypes, ValueList<PropertyParm> Properties = default, bool IsList = false) : Descriptor;
