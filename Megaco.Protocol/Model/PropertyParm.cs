namespace Megaco.Protocol.Model;

/// <summary>The relation between a property (or parameter) name and its value(s) (H.248.1 Annex B parmValue).</summary>
public enum ParmRelation : byte
{
    /// <summary><c>name = value</c>.</summary>
    Equal,
    /// <summary><c>name # value</c>.</summary>
    NotEqual,
    /// <summary><c>name &gt; value</c>.</summary>
    GreaterThan,
    /// <summary><c>name &lt; value</c>.</summary>
    LessThan,
    /// <summary><c>name = [low : high]</c>.</summary>
    Range,
    /// <summary><c>name = [a, b, ...]</c>: all of the values (AND list).</summary>
    All,
    /// <summary><c>name = {a, b, ...}</c>: one of the values (alternatives, OR list).</summary>
    Alternatives,
}

/// <summary>A package property or parameter with its value(s); values are stored unquoted.</summary>
public sealed record PropertyParm(PkgdName Name, ValueList<string> Values, ParmRelation Relation = ParmRelation.Equal)
{
    public static PropertyParm Of(string package, string item, string value) =>
        new(new PkgdName(package, item), [value]);

    /// <summary>The single value of an Equal relation, or null.</summary>
    public string? Value => Relation == ParmRelation.Equal && Values.Count == 1 ? Values[0] : null;
}
