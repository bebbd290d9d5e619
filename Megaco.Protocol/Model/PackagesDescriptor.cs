namespace Megaco.Protocol.Model;

/// <summary><c>Packages { name-version *(, name-version) }</c> (H.248.1 §7.1.16).</summary>
public sealed record PackagesDescriptor(ValueList<PackageItem> Packages) : Descriptor;

/// <summary>One <c>name-version</c> entry of a Packages descriptor.</summary>
public sealed record PackageItem(string Name, ushort Version)
{
    public override string ToString() => Name + "-" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
