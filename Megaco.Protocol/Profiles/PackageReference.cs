namespace Megaco.Protocol.Profiles;

/// <summary>A package named with a version: the target of <c>extends</c> (H.248.1 §12.1.1).</summary>
public sealed record PackageReference(string Name, ushort Version)
{
    public override string ToString() => Name + " v" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
