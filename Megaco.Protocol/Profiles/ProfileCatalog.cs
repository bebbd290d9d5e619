using System.Collections.Frozen;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// The packages and profiles of one <c>profiles/</c> directory, linted by <see cref="ProfileLoader"/>.
/// Names are looked up case-insensitively (H.248.1 Annex B: names are case-insensitive).
/// </summary>
public sealed class ProfileCatalog
{
    private readonly FrozenDictionary<string, PackageDefinition> _byName;
    private readonly FrozenDictionary<ushort, PackageDefinition> _byId;
    private readonly FrozenDictionary<string, ProfileDefinition> _profiles;

    public ProfileCatalog(IEnumerable<PackageDefinition> packages, IEnumerable<ProfileDefinition> profiles)
    {
        var list = packages.OrderBy(p => p.Id).ToArray();
        Packages = new ValueList<PackageDefinition>(list);
        _byName = list.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _byId = list.ToFrozenDictionary(p => p.Id);
        var profileList = profiles.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToArray();
        Profiles = new ValueList<ProfileDefinition>(profileList);
        _profiles = profileList.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every package, ordered by id.</summary>
    public ValueList<PackageDefinition> Packages { get; }

    /// <summary>Every profile, ordered by name.</summary>
    public ValueList<ProfileDefinition> Profiles { get; }

    public bool TryGetPackage(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PackageDefinition? package) =>
        _byName.TryGetValue(name, out package);

    public bool TryGetPackage(ushort id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PackageDefinition? package) =>
        _byId.TryGetValue(id, out package);

    public bool TryGetProfile(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProfileDefinition? profile) =>
        _profiles.TryGetValue(name, out profile);

    /// <summary>The profile called <paramref name="name"/>; a missing one is a configuration fault.</summary>
    public ProfileDefinition GetProfile(string name) =>
        TryGetProfile(name, out var profile)
            ? profile
            : throw new KeyNotFoundException("no profile '" + name + "' (known: " + string.Join(", ", Profiles.Select(p => p.Name)) + ")");

    /// <summary>The profile whose ServiceChange identity is <paramref name="identityName"/>, or null.</summary>
    public ProfileDefinition? FindByIdentity(string identityName)
    {
        foreach (var profile in Profiles)
        {
            if (string.Equals(profile.Identity.Name, identityName, StringComparison.OrdinalIgnoreCase))
            {
                return profile;
            }
        }
        return null;
    }
}
