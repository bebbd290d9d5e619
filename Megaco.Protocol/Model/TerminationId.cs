namespace Megaco.Protocol.Model;

/// <summary>
/// A termination identifier as written in text (H.248.1 Annex B terminationID): a name whose
/// '/'-separated segments may hold the CHOOSE wildcard <c>$</c> or the ALL wildcard <c>*</c>.
/// </summary>
public sealed record TerminationId(string Text)
{
    public static readonly TerminationId Root = new("ROOT");
    public static readonly TerminationId Choose = new("$");
    public static readonly TerminationId All = new("*");

    public bool IsRoot => string.Equals(Text, "ROOT", StringComparison.OrdinalIgnoreCase);

    public bool HasChoose => Text.Contains('$');

    public bool HasAll => Text.Contains('*');

    public bool IsWildcarded => HasChoose || HasAll;

    public override string ToString() => Text;
}
