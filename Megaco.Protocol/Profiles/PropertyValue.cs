namespace Megaco.Protocol.Profiles;

/// <summary>
/// A property or parameter value read through its definition's type, so that code acting on a
/// property (latching, TLS settings) never matches on the wire form.
/// </summary>
public readonly record struct PropertyValue(ValueType Type, string Text, bool Boolean, long Integer)
{
    internal static PropertyValue FromBoolean(string text, bool value) => new(ValueType.Boolean, text, value, 0);

    internal static PropertyValue FromInteger(string text, long value) => new(ValueType.Integer, text, false, value);

    /// <summary>An enumeration value, spelt as in the package definition.</summary>
    internal static PropertyValue FromEnum(string name) => new(ValueType.Enum, name, false, 0);

    internal static PropertyValue FromString(ValueType type, string text) => new(type, text, false, 0);

    /// <summary>Whether this enumeration value is <paramref name="name"/> (case-insensitive).</summary>
    public bool Is(string name) => Type == ValueType.Enum && Text.Equals(name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Text;
}
