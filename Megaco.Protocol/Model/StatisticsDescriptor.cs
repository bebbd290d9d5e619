namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Statistics [{ statisticsParameter *(, statisticsParameter) }]</c> (H.248.1 §7.1.15).
/// An empty Statistics descriptor switches statistics off; it is never folded into absence.
/// </summary>
public sealed record StatisticsDescriptor(ValueList<StatisticsParameter> Parameters) : Descriptor
{
    public static readonly StatisticsDescriptor Empty = new(ValueList<StatisticsParameter>.Empty);
}

/// <summary><c>pkgdName [= value / [value *(, value)]]</c>; <see cref="Values"/> is null when no value is given.</summary>
public sealed record StatisticsParameter(PkgdName Name, ValueList<string>? Values = null);
