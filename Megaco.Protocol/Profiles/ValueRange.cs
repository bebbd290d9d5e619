namespace Megaco.Protocol.Profiles;

/// <summary>The inclusive bounds of an integer item.</summary>
public sealed record ValueRange(long Min, long Max)
{
    public bool Contains(long value) => value >= Min && value <= Max;

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Min}..{Max}");
}
