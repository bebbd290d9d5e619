using System.Globalization;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// Answers the Packages descriptor and AuditCapabilities from the profile data, so that what the
/// MG reports can never drift from what it validates (H.248.1 §7.2.6, §7.1.16). Items marked
/// provisional are left out under public package ids unless the profile is private: a capability
/// reply is on the wire like any other.
/// </summary>
public static class ProfileCapabilities
{
    /// <summary>The termination class whose pattern matches <paramref name="termination"/>, or null.</summary>
    public static TerminationClass? ClassOf(ProfileDefinition profile, TerminationId termination)
    {
        foreach (var terminationClass in profile.TerminationClasses)
        {
            if (Matches(terminationClass.Termination, termination.Text))
            {
                return terminationClass;
            }
        }
        return null;
    }

    /// <summary><c>Packages { name-version, ... }</c> for a termination of <paramref name="terminationClass"/> (all profile packages when null).</summary>
    public static PackagesDescriptor Packages(ProfileDefinition profile, TerminationClass? terminationClass = null)
    {
        var items = new List<PackageItem>();
        foreach (var listed in profile.Packages)
        {
            if (terminationClass is null || terminationClass.Packages.Contains(listed.Name, StringComparer.OrdinalIgnoreCase))
            {
                items.Add(new PackageItem(listed.Name, listed.Version));
            }
        }
        return new PackagesDescriptor(new ValueList<PackageItem>(items));
    }

    /// <summary>
    /// The terminationAudit of an AuditCapabilities reply for <paramref name="termination"/>: the
    /// properties with their possible values (enumerations as alternatives, integer ranges as
    /// ranges), the events, signals and statistics, and the Packages descriptor.
    /// </summary>
    public static ValueList<Descriptor> AuditCapabilities(ProfileCatalog catalog, ProfileDefinition profile, TerminationId termination) =>
        AuditCapabilities(catalog, profile, ClassOf(profile, termination));

    /// <summary>The same for a termination of <paramref name="terminationClass"/> (every profile package when null), for ids no class pattern names.</summary>
    public static ValueList<Descriptor> AuditCapabilities(ProfileCatalog catalog, ProfileDefinition profile, TerminationClass? terminationClass)
    {
        var state = new List<PropertyParm>();
        var control = new List<PropertyParm>();
        var events = new List<RequestedEvent>();
        var signals = new List<SignalItem>();
        var statistics = new List<StatisticsParameter>();
        foreach (var package in Applicable(catalog, profile, terminationClass))
        {
            bool Sendable(bool provisional) => !provisional || package.IsPrivate || profile.Private;
            foreach (var property in package.Properties)
            {
                if (Sendable(property.Provisional) && Possible(package, property) is { } parm)
                {
                    if ((property.AllowedIn & DescriptorKinds.TerminationState) != 0)
                    {
                        state.Add(parm);
                    }
                    if ((property.AllowedIn & DescriptorKinds.LocalControl) != 0)
                    {
                        control.Add(parm);
                    }
                }
            }
            events.AddRange(package.Events.Where(e => Sendable(e.Provisional)).Select(e => new RequestedEvent(new PkgdName(package.Name, e.Name))));
            signals.AddRange(package.Signals.Where(s => Sendable(s.Provisional)).Select(s => (SignalItem)new SignalRequest(new PkgdName(package.Name, s.Name))));
            statistics.AddRange(package.Statistics.Where(s => Sendable(s.Provisional)).Select(s => new StatisticsParameter(new PkgdName(package.Name, s.Name))));
        }

        var descriptors = new List<Descriptor>
        {
            new MediaDescriptor(
                TerminationState: state.Count > 0 ? new TerminationStateDescriptor(Properties: new ValueList<PropertyParm>(state)) : null,
                Stream: control.Count > 0 || statistics.Count > 0
                    ? new StreamParms(
                        LocalControl: control.Count > 0 ? new LocalControlDescriptor(Properties: new ValueList<PropertyParm>(control)) : null,
                        Statistics: statistics.Count > 0 ? new StatisticsDescriptor(new ValueList<StatisticsParameter>(statistics)) : null)
                    : null),
        };
        if (events.Count > 0)
        {
            descriptors.Add(new EventsDescriptor(0, new ValueList<RequestedEvent>(events)));
        }
        if (signals.Count > 0)
        {
            descriptors.Add(new SignalsDescriptor(new ValueList<SignalItem>(signals)));
        }
        descriptors.Add(Packages(profile, terminationClass));
        return new ValueList<Descriptor>(descriptors);
    }

    private static IEnumerable<PackageDefinition> Applicable(ProfileCatalog catalog, ProfileDefinition profile, TerminationClass? terminationClass)
    {
        foreach (var listed in (IEnumerable<ProfilePackage>)profile.Packages)
        {
            if ((terminationClass is null || terminationClass.Packages.Contains(listed.Name, StringComparer.OrdinalIgnoreCase))
                && catalog.TryGetPackage(listed.Name, out var package))
            {
                yield return package;
            }
        }
    }

    /// <summary>A property with its possible values; a free string has no value set to state and is returned with its default only.</summary>
    private static PropertyParm? Possible(PackageDefinition package, PropertyDefinition property)
    {
        var name = new PkgdName(package.Name, property.Name);
        var domain = property.Domain;
        return domain.Type switch
        {
            ValueType.Boolean => new PropertyParm(name, ["on", "off"], ParmRelation.Alternatives),
            ValueType.Enum => new PropertyParm(name, domain.Values, ParmRelation.Alternatives),
            ValueType.Integer when domain.Range is { } range => new PropertyParm(name,
                [range.Min.ToString(CultureInfo.InvariantCulture), range.Max.ToString(CultureInfo.InvariantCulture)], ParmRelation.Range),
            _ when property.Default is { } value => new PropertyParm(name, [value]),
            _ => null,
        };
    }

    /// <summary>Termination id patterns: '/'-separated segments where <c>*</c> matches any one segment and a trailing <c>*</c> any rest.</summary>
    private static bool Matches(string pattern, string id)
    {
        var p = pattern.Split('/');
        var t = id.Split('/');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == "*" && i == p.Length - 1)
            {
                return t.Length >= p.Length;
            }
            if (i >= t.Length || (p[i] != "*" && !string.Equals(p[i], t[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }
        return p.Length == t.Length;
    }
}
