using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// Reads one profile or package file and turns every fault into a <see cref="ProfileLoadException"/>
/// naming the file and the JSON path of the offending item.
/// </summary>
internal sealed class JsonFile(string file, JsonDocument document) : IDisposable
{
    public JsonElement Root => document.RootElement;

    public void Dispose() => document.Dispose();

    [DoesNotReturn]
    public void Fail(string path, string fault) => throw new ProfileLoadException(file, path, fault);

    [DoesNotReturn]
    public T Fail<T>(string path, string fault) => throw new ProfileLoadException(file, path, fault);

    public void Kind(JsonElement element, string path, JsonValueKind kind)
    {
        if (element.ValueKind != kind)
        {
            Fail(path, "expected " + kind.ToString().ToLowerInvariant() + ", found " + element.ValueKind.ToString().ToLowerInvariant());
        }
    }

    /// <summary>Unknown keys are faults, so a misspelt key ("readonly") cannot silently drop a rule.</summary>
    public void OnlyKeys(JsonElement element, string path, params ReadOnlySpan<string> keys)
    {
        Kind(element, path, JsonValueKind.Object);
        foreach (var property in element.EnumerateObject())
        {
            var known = false;
            foreach (var key in keys)
            {
                if (property.NameEquals(key))
                {
                    known = true;
                    break;
                }
            }
            if (!known)
            {
                Fail(path + "." + property.Name, "unknown key '" + property.Name + "'");
            }
        }
    }

    public JsonElement Required(JsonElement element, string path, string key) =>
        element.TryGetProperty(key, out var value) ? value : Fail<JsonElement>(path + "." + key, "missing");

    public string RequiredString(JsonElement element, string path, string key)
    {
        var value = Required(element, path, key);
        Kind(value, path + "." + key, JsonValueKind.String);
        var text = value.GetString()!;
        if (text.Length == 0 || text.Trim().Length != text.Length)
        {
            Fail(path + "." + key, "'" + text + "' is empty or has surrounding spaces");
        }
        return text;
    }

    public string? OptionalString(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            return null;
        }
        Kind(value, path + "." + key, JsonValueKind.String);
        return value.GetString();
    }

    public bool Bool(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            return false;
        }
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Fail(path + "." + key, "expected true or false");
        }
        return value.GetBoolean();
    }

    public long Int(JsonElement element, string path, long min, long max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value) || value < min || value > max)
        {
            return Fail<long>(path, "expected an integer in " + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture)
                + ", found " + element.GetRawText());
        }
        return value;
    }

    /// <summary>H.248.1 Annex B: NAME = ALPHA *63(ALPHA / DIGIT / "_").</summary>
    public string Name(JsonElement element, string path, string key)
    {
        var name = RequiredString(element, path, key);
        if (name.Length > 64 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            Fail(path + "." + key, "'" + name + "' is not an H.248 NAME (a letter, then up to 63 letters, digits or '_')");
        }
        return name;
    }

    /// <summary>A binary id written <c>0x0001</c>; 0 is reserved (IANA Megaco/H.248 packages registry).</summary>
    public ushort Id(JsonElement element, string path, string key)
    {
        var text = RequiredString(element, path, key);
        if (!text.StartsWith("0x", StringComparison.Ordinal)
            || !ushort.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            || id == 0)
        {
            return Fail<ushort>(path + "." + key, "'" + text + "' is not an id 0x0001..0xffff");
        }
        return id;
    }

    public ushort Version(JsonElement element, string path, string key) =>
        (ushort)Int(Required(element, path, key), path + "." + key, 1, 99);

    public void Items(JsonElement element, string key, Action<JsonElement, string> read)
    {
        if (!element.TryGetProperty(key, out var array))
        {
            return;
        }
        Kind(array, "$." + key, JsonValueKind.Array);
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            read(item, "$." + key + "[" + i++.ToString(CultureInfo.InvariantCulture) + "]");
        }
    }

    public ValueList<string> Strings(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var array))
        {
            return default;
        }
        Kind(array, path + "." + key, JsonValueKind.Array);
        var list = new List<string>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = path + "." + key + "[" + i++.ToString(CultureInfo.InvariantCulture) + "]";
            Kind(item, at, JsonValueKind.String);
            var text = item.GetString()!;
            if (text.Length == 0 || list.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                Fail(at, "'" + text + "' is empty or repeated");
            }
            list.Add(text);
        }
        return new ValueList<string>(list);
    }

    public void Unique<T>(List<T> items, string key, Func<T, string> nameOf, Func<T, ushort> idOf)
    {
        for (var i = 1; i < items.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var at = "$." + key + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (string.Equals(nameOf(items[i]), nameOf(items[j]), StringComparison.OrdinalIgnoreCase))
                {
                    Fail(at + ".name", "duplicate name '" + nameOf(items[i]) + "' (also " + key + "[" + j.ToString(CultureInfo.InvariantCulture) + "])");
                }
                if (idOf(items[i]) == idOf(items[j]))
                {
                    Fail(at + ".id", "duplicate id " + ProfileLoader.Hex(idOf(items[i])) + " (also " + key + "[" + j.ToString(CultureInfo.InvariantCulture) + "])");
                }
            }
        }
    }

    public ValueDomain Domain(JsonElement item, string path)
    {
        var type = RequiredString(item, path, "type") switch
        {
            "boolean" => ValueType.Boolean,
            "integer" => ValueType.Integer,
            "enum" => ValueType.Enum,
            "string" => ValueType.String,
            "octetString" => ValueType.OctetString,
            var other => Fail<ValueType>(path + ".type", "unknown type '" + other + "' (boolean, integer, enum, string, octetString)"),
        };
        var values = Strings(item, path, "values");
        if (type == ValueType.Enum && values.IsEmpty)
        {
            Fail(path + ".values", "an enum needs its values");
        }
        if (type != ValueType.Enum && !values.IsEmpty)
        {
            Fail(path + ".values", "only an enum lists values");
        }
        ValueRange? range = null;
        if (item.TryGetProperty("range", out var r))
        {
            if (type != ValueType.Integer)
            {
                Fail(path + ".range", "only an integer has a range");
            }
            OnlyKeys(r, path + ".range", "min", "max");
            var min = Int(Required(r, path + ".range", "min"), path + ".range.min", long.MinValue, long.MaxValue);
            var max = Int(Required(r, path + ".range", "max"), path + ".range.max", long.MinValue, long.MaxValue);
            if (min > max)
            {
                Fail(path + ".range", "min is above max");
            }
            range = new ValueRange(min, max);
        }
        return new ValueDomain(type, values, range, OptionalString(item, path, "unit"));
    }

    public DescriptorKinds Descriptors(JsonElement item, string path)
    {
        var kinds = DescriptorKinds.None;
        var names = Strings(item, path, "descriptors");
        for (var i = 0; i < names.Count; i++)
        {
            kinds |= names[i] switch
            {
                "TerminationState" => DescriptorKinds.TerminationState,
                "LocalControl" => DescriptorKinds.LocalControl,
                var other => Fail<DescriptorKinds>(path + ".descriptors[" + i.ToString(CultureInfo.InvariantCulture) + "]",
                    "'" + other + "' is not TerminationState or LocalControl"),
            };
        }
        if (kinds == DescriptorKinds.None)
        {
            Fail(path + ".descriptors", "a property needs at least one descriptor it is defined in");
        }
        return kinds;
    }

    public string? Default(JsonElement item, string path, ValueDomain domain)
    {
        if (!item.TryGetProperty("default", out var value))
        {
            return null;
        }
        var text = ScalarText(value, path + ".default");
        if (!domain.TryParse(text, out _))
        {
            Fail(path + ".default", "default '" + text + "' is not a valid " + domain.Describe());
        }
        return text;
    }

    public string ScalarText(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => Fail<string>(path, "expected a string or a number"),
    };

    public ValueList<ParameterDefinition> Parameters(JsonElement item, string path, string key)
    {
        if (!item.TryGetProperty(key, out var array))
        {
            return default;
        }
        Kind(array, path + "." + key, JsonValueKind.Array);
        var list = new List<ParameterDefinition>();
        var i = 0;
        foreach (var p in array.EnumerateArray())
        {
            var at = path + "." + key + "[" + i++.ToString(CultureInfo.InvariantCulture) + "]";
            OnlyKeys(p, at, "name", "id", "type", "values", "range", "unit", "default");
            var domain = Domain(p, at);
            list.Add(new ParameterDefinition(Name(p, at, "name"), Id(p, at, "id"), domain, Default(p, at, domain)));
        }
        for (var a = 1; a < list.Count; a++)
        {
            for (var b = 0; b < a; b++)
            {
                if (string.Equals(list[a].Name, list[b].Name, StringComparison.OrdinalIgnoreCase) || list[a].Id == list[b].Id)
                {
                    Fail(path + "." + key + "[" + a.ToString(CultureInfo.InvariantCulture) + "]", "duplicate parameter name or id '" + list[a].Name + "'");
                }
            }
        }
        return new ValueList<ParameterDefinition>(list);
    }
}
