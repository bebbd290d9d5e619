namespace Megaco.Protocol.Model;

/// <summary>
/// <c>package/item</c> (H.248.1 Annex B pkgdName); either part may be the wildcard <c>*</c>.
/// A bare NAME without a package (allowed in some places by the ABNF) has an empty package.
/// </summary>
public sealed record PkgdName(string Package, string Item)
{
    public bool IsPackageWildcard => Package == "*";

    public bool IsItemWildcard => Item == "*";

    public override string ToString() => Package.Length == 0 ? Item : Package + "/" + Item;
}
