using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// One profile as loaded from <c>profiles/&lt;name&gt;.json</c>: its identity, the packages it
/// mandates and allows, transports, encodings, termination classes, defaults and procedures.
/// A <see cref="Private"/> profile (a lab or test one) may put provisional items on the wire.
/// </summary>
public sealed record ProfileDefinition(
    string Name,
    ProfileIdentity Identity,
    ValueList<ProfilePackage> Packages,
    ValueList<string> Transports,
    ValueList<string> Encodings,
    ValueList<ushort> ProtocolVersions,
    ValueList<TerminationClass> TerminationClasses,
    ValueList<ProfileDefault> Defaults,
    ValueList<ProfileProcedure> Procedures,
    bool Private = false,
    string? Title = null,
    string? Specification = null,
    string? Interface = null,
    string? Note = null,
    string? DefaultsSource = null)
{
    public ProfilePackage? FindPackage(string name)
    {
        foreach (var package in Packages)
        {
            if (string.Equals(package.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return package;
            }
        }
        return null;
    }
}
