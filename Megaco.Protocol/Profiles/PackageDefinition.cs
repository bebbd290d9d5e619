using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// One package as loaded from <c>profiles/packages/&lt;name&gt;.json</c> (H.248.1 §12.1). The item
/// lists hold the package's own items followed by those it inherits through <see cref="Extends"/>
/// (H.248.1 §12.1.1: an extending package includes every item of the package it extends).
/// </summary>
public sealed record PackageDefinition(
    string Name,
    ushort Id,
    ushort Version,
    PackageReference? Extends,
    ValueList<PropertyDefinition> Properties,
    ValueList<EventDefinition> Events,
    ValueList<SignalDefinition> Signals,
    ValueList<StatisticDefinition> Statistics,
    ValueList<PackageErrorCode> ErrorCodes = default,
    string? Title = null,
    string? DefinedIn = null,
    string? Source = null,
    string? Note = null)
{
    /// <summary>Public ids are 0x0001-0x7fff; 0x8000 and up are private (IANA Megaco/H.248 packages registry).</summary>
    public bool IsPrivate => Id >= 0x8000;

    public PropertyDefinition? FindProperty(string name) => Find(Properties, name, static p => p.Name);

    public EventDefinition? FindEvent(string name) => Find(Events, name, static e => e.Name);

    public SignalDefinition? FindSignal(string name) => Find(Signals, name, static s => s.Name);

    public StatisticDefinition? FindStatistic(string name) => Find(Statistics, name, static s => s.Name);

    public override string ToString() => Name + "-" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static T? Find<T>(ValueList<T> items, string name, Func<T, string> nameOf) where T : class
    {
        foreach (var item in items)
        {
            if (string.Equals(nameOf(item), name, StringComparison.OrdinalIgnoreCase))
            {
                return item;
            }
        }
        return null;
    }
}
