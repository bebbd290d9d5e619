using System.Globalization;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>What values an item accepts: its type, the enumeration or range, and its unit.</summary>
public sealed record ValueDomain(ValueType Type, ValueList<string> Values = default, ValueRange? Range = null, string? Unit = null)
{
    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// Reads <paramref name="text"/> as this domain's type. Bare tokens arrive in lower case and
    /// enumeration names are compared case-insensitively (H.248.1 Annex B: tokens are case-insensitive).
    /// </summary>
    public bool TryParse(string text, out PropertyValue value)
    {
        value = default;
        switch (Type)
        {
            case ValueType.Boolean:
                if (text.Equals("on", StringComparison.OrdinalIgnoreCase))
                {
                    value = PropertyValue.FromBoolean(text, true);
                    return true;
                }
                if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    value = PropertyValue.FromBoolean(text, false);
                    return true;
                }
                return false;
            case ValueType.Integer:
                if (text.Length == 0 || text.Length > 20
                    || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    || (Range is { } range && !range.Contains(number)))
                {
                    return false;
                }
                value = PropertyValue.FromInteger(text, number);
                return true;
            case ValueType.Enum:
                foreach (var allowed in Values)
                {
                    if (allowed.Equals(text, StringComparison.OrdinalIgnoreCase))
                    {
                        value = PropertyValue.FromEnum(allowed);
                        return true;
                    }
                }
                return false;
            case ValueType.OctetString:
                if (text.Length % 2 != 0 || text.AsSpan().ContainsAnyExcept(HexDigits))
                {
                    return false;
                }
                value = PropertyValue.FromString(ValueType.OctetString, text);
                return true;
            default:
                value = PropertyValue.FromString(ValueType.String, text);
                return true;
        }
    }

    /// <summary>How the statement and error texts describe the accepted values.</summary>
    public string Describe() => Type switch
    {
        ValueType.Boolean => "on | off",
        ValueType.Enum => string.Join(" | ", Values),
        ValueType.Integer when Range is { } r => "integer " + r + (Unit is null ? "" : " " + Unit),
        ValueType.Integer => "integer" + (Unit is null ? "" : " " + Unit),
        ValueType.OctetString => "octet string (hex)",
        _ => "string",
    };
}
