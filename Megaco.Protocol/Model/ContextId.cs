namespace Megaco.Protocol.Model;

/// <summary>
/// A context identifier: a UINT32 with three reserved values (H.248.1 §6.1.1 and Annex A):
/// NULL <c>-</c> = 0, CHOOSE <c>$</c> = 0xFFFFFFFE, ALL <c>*</c> = 0xFFFFFFFF.
/// </summary>
public readonly record struct ContextId(uint Value)
{
    public static readonly ContextId Null = new(0);
    public static readonly ContextId Choose = new(0xFFFFFFFE);
    public static readonly ContextId All = new(0xFFFFFFFF);

    public bool IsNull => Value == 0;
    public bool IsChoose => Value == 0xFFFFFFFE;
    public bool IsAll => Value == 0xFFFFFFFF;

    public override string ToString() => Value switch
    {
        0 => "-",
        0xFFFFFFFE => "$",
        0xFFFFFFFF => "*",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
