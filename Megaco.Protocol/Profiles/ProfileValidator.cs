using System.Collections.Frozen;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// Checks a command (MG side: what the MGC asks) or a command reply and Notify (MGC side: what the
/// MG reports) against one negotiated profile, and returns the first fault as an
/// <see cref="ErrorDescriptor"/> with its H.248.8 code, or null when there is none.
/// Only the packages the profile lists count: a package the catalog knows but the profile does not
/// list is unsupported (440), as TS 29.334 §5.2 asks for elements a profile leaves out; so is a
/// package the profile does not apply to the termination's class (an <c>ip/*</c> termination has
/// no <c>root</c> properties).
/// </summary>
public sealed class ProfileValidator
{
    private readonly FrozenDictionary<string, PackageDefinition> _packages;
    private readonly FrozenDictionary<TerminationClass, FrozenSet<string>> _classPackages;

    public ProfileValidator(ProfileCatalog catalog, ProfileDefinition profile)
    {
        Profile = profile;
        var packages = new Dictionary<string, PackageDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var listed in profile.Packages)
        {
            if (!catalog.TryGetPackage(listed.Name, out var package))
            {
                throw new ArgumentException("profile '" + profile.Name + "' lists package '" + listed.Name + "', which the catalog lacks", nameof(profile));
            }
            packages.Add(package.Name, package);
        }
        _packages = packages.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _classPackages = profile.TerminationClasses.ToFrozenDictionary(
            c => c, c => c.Packages.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    public ProfileDefinition Profile { get; }

    /// <summary>The package <paramref name="name"/> if this profile lists it.</summary>
    public bool TryGetPackage(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PackageDefinition? package) =>
        _packages.TryGetValue(name, out package);

    /// <summary>Validates a received command request before it is executed.</summary>
    public ErrorDescriptor? Validate(CommandRequest request) => Validate(request.Command);

    public ErrorDescriptor? Validate(Command command) => new Walk(this, Mode.Request, Applicable(command.TerminationIds)).Command(command);

    /// <summary>Validates a received reply (terminationAudit of Add/Move/Modify/Subtract and audits).</summary>
    public ErrorDescriptor? Validate(CommandReply reply) => new Walk(this, Mode.Reply, Applicable(reply.TerminationIds)).Reply(reply);

    /// <summary>
    /// Refuses to send a command that uses an item marked provisional under a public package id,
    /// unless the profile is private: a guessed item never goes on the wire under a registered id.
    /// </summary>
    public ErrorDescriptor? CheckOutgoing(Command command) => new Walk(this, Mode.Emit, Applicable(command.TerminationIds)).Command(command);

    /// <summary>
    /// Reads a property through its definition's type, e.g. <c>ipnapt/latch</c> as an enumeration
    /// or <c>gm/saf</c> as a boolean; false when the profile lacks the item or the value is not of its type.
    /// </summary>
    public bool TryReadProperty(PropertyParm parm, out PropertyValue value)
    {
        value = default;
        return parm.Value is { } text
            && _packages.TryGetValue(parm.Name.Package, out var package)
            && package.FindProperty(parm.Name.Item) is { } definition
            && definition.Domain.TryParse(text, out value);
    }

    /// <summary>Finds <paramref name="package"/>/<paramref name="item"/> in <paramref name="properties"/> and reads it typed.</summary>
    public bool TryReadProperty(ValueList<PropertyParm> properties, string package, string item, out PropertyValue value)
    {
        foreach (var parm in properties)
        {
            if (string.Equals(parm.Name.Package, package, StringComparison.OrdinalIgnoreCase)
                && string.Equals(parm.Name.Item, item, StringComparison.OrdinalIgnoreCase))
            {
                return TryReadProperty(parm, out value);
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The packages of the class of every named termination; null (every profile package) when a
    /// termination matches no class, as <c>*</c> does.
    /// </summary>
    private FrozenSet<string>? Applicable(ValueList<TerminationId> terminations)
    {
        FrozenSet<string>? applicable = null;
        foreach (var termination in terminations)
        {
            if (ProfileCapabilities.ClassOf(Profile, termination) is not { } terminationClass)
            {
                return null;
            }
            var packages = _classPackages[terminationClass];
            applicable = applicable is null || applicable == packages
                ? packages
                : applicable.Union(packages, StringComparer.OrdinalIgnoreCase).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }
        return applicable;
    }

    private enum Mode : byte
    {
        Request,
        Reply,
        Emit,
    }

    private readonly struct Walk(ProfileValidator owner, Mode mode, FrozenSet<string>? applicable)
    {
        private bool Writes => mode != Mode.Reply;

        public ErrorDescriptor? Command(Command command) => command switch
        {
            AmmRequest amm => Amm(amm),
            SubtractRequest subtract => subtract.Audit is { } audit ? Audit(audit) : null,
            AuditRequest audit => audit.Audit is { } descriptor ? Audit(descriptor) : null,
            NotifyRequest notify => notify.ObservedEvents is { } observed ? Observed(observed.Events) : null,
            _ => null,
        };

        public ErrorDescriptor? Reply(CommandReply reply) => reply switch
        {
            AmmsReply { Audit: { } audit } => Returned(audit),
            AuditReply { Audit: { } audit } => Returned(audit),
            _ => null,
        };

        // H.248.1 Annex B ammRequest: ammParameter; each descriptor at most once (§7.2, error 448).
        private ErrorDescriptor? Amm(AmmRequest amm)
        {
            var seen = 0;
            foreach (var descriptor in amm.Descriptors)
            {
                var bit = descriptor switch
                {
                    MediaDescriptor => 1 << 0,
                    ModemDescriptor => 1 << 1,
                    MuxDescriptor => 1 << 2,
                    EventsDescriptor => 1 << 3,
                    SignalsDescriptor => 1 << 4,
                    DigitMapDescriptor => 1 << 5,
                    EventBufferDescriptor => 1 << 6,
                    AuditDescriptor => 1 << 7,
                    StatisticsDescriptor => 1 << 8,
                    _ => 0,
                };
                if (bit == 0)
                {
                    return Error(H248ErrorCode.DescriptorNotLegalInThisCommand,
                        DescriptorName(descriptor) + " descriptor is not legal in " + amm.Kind);
                }
                if ((seen & bit) != 0)
                {
                    return Error(H248ErrorCode.DescriptorAppearsTwiceInCommand, DescriptorName(descriptor) + " descriptor appears twice");
                }
                seen |= bit;
                if (Descriptor(descriptor) is { } error)
                {
                    return error;
                }
            }
            return null;
        }

        private ErrorDescriptor? Returned(ValueList<Descriptor> descriptors)
        {
            foreach (var descriptor in descriptors)
            {
                var error = descriptor switch
                {
                    ObservedEventsDescriptor observed => Observed(observed.Events),
                    PackagesDescriptor packages => Packages(packages),
                    _ => Descriptor(descriptor),
                };
                if (error is not null)
                {
                    return error;
                }
            }
            return null;
        }

        private ErrorDescriptor? Descriptor(Descriptor descriptor) => descriptor switch
        {
            MediaDescriptor media => Media(media),
            EventsDescriptor events => Events(events, 0),
            SignalsDescriptor signals => Signals(signals.Signals),
            EventBufferDescriptor buffer => Buffered(buffer.Events),
            StatisticsDescriptor statistics => Statistics(statistics),
            AuditDescriptor audit => Audit(audit),
            _ => null,
        };

        private ErrorDescriptor? Media(MediaDescriptor media)
        {
            if (media.TerminationState is { } state
                && Properties(state.Properties, DescriptorKinds.TerminationState) is { } stateError)
            {
                return stateError;
            }
            if (media.Stream is { } parms && Stream(parms) is { } streamError)
            {
                return streamError;
            }
            foreach (var stream in media.Streams)
            {
                if (Stream(stream.Parms) is { } error)
                {
                    return error;
                }
            }
            return null;
        }

        private ErrorDescriptor? Stream(StreamParms parms)
        {
            if (parms.LocalControl is { } control
                && Properties(control.Properties, DescriptorKinds.LocalControl) is { } error)
            {
                return error;
            }
            return parms.Statistics is { } statistics ? Statistics(statistics) : null;
        }

        // H.248.1 §7.1.5, §7.1.7 and H.248.8: 440 package, 450 property, 455 wrong descriptor,
        // 456 twice, 534 read-only written, 449 value (TS 29.334 §5.17.1: the value in the text).
        private ErrorDescriptor? Properties(ValueList<PropertyParm> properties, DescriptorKinds where)
        {
            HashSet<(string, string)>? seen = properties.Count > 1 ? new(PairComparer.Instance) : null;
            foreach (var parm in properties)
            {
                var name = parm.Name;
                if (name.Package.Length == 0 || name.IsPackageWildcard || name.IsItemWildcard)
                {
                    return Error(H248ErrorCode.UnsupportedOrUnknownProperty, "property '" + name + "' is not a package/property name");
                }
                if (Package(name) is not { } package)
                {
                    return UnknownPackage(name);
                }
                if (package.FindProperty(name.Item) is not { } definition)
                {
                    return Error(H248ErrorCode.NoSuchPropertyInThisPackage, "no property '" + name.Item + "' in package " + package.Name);
                }
                if ((definition.AllowedIn & where) == 0)
                {
                    return Error(H248ErrorCode.PropertyIllegalInThisDescriptor, name + " is not defined in " + where);
                }
                if (seen is not null && !seen.Add((name.Package, name.Item)))
                {
                    return Error(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, name + " appears twice in " + where);
                }
                if (Writes && definition.ReadOnly)
                {
                    return Error(H248ErrorCode.IllegalWriteOfReadOnlyProperty, name + " is read-only");
                }
                if (Provisional(package, definition.Provisional, name) is { } emit)
                {
                    return emit;
                }
                if (Values(parm, definition.Domain, definition.Secret) is { } error)
                {
                    return error;
                }
            }
            return null;
        }

        // H.248.1 Annex B: an embedded events descriptor (embedFirst) holds secondRequestedEvents,
        // which embed signals only; anything deeper is built to exhaust the validator.
        private const int MaxEmbedDepth = 1;

        private ErrorDescriptor? Events(EventsDescriptor events, int depth)
        {
            if (depth > MaxEmbedDepth)
            {
                return Error(H248ErrorCode.SyntaxErrorInCommand, "events embedded deeper than one level");
            }
            foreach (var requested in events.Events)
            {
                if (Event(requested.Name, out var package, out var definition) is { } error)
                {
                    return error;
                }
                if (definition is not null
                    && (Provisional(package!, definition.Provisional, requested.Name) ?? Parameters(requested.Parameters, definition.Parameters, requested.Name)) is { } parameterError)
                {
                    return parameterError;
                }
                if (requested.EmbeddedSignals is { } signals && Signals(signals.Signals) is { } signalError)
                {
                    return signalError;
                }
                if (requested.EmbeddedEvents is { } embedded && Events(embedded, depth + 1) is { } embeddedError)
                {
                    return embeddedError;
                }
                if (requested.NotifyBehaviour is { } behaviour)
                {
                    if (behaviour.EmbeddedSignals is { } regulatedSignals && Signals(regulatedSignals.Signals) is { } regulatedError)
                    {
                        return regulatedError;
                    }
                    if (behaviour.EmbeddedEvents is { } regulatedEvents && Events(regulatedEvents, depth + 1) is { } regulatedEventsError)
                    {
                        return regulatedEventsError;
                    }
                }
            }
            return null;
        }

        private ErrorDescriptor? Observed(ValueList<ObservedEvent> events)
        {
            foreach (var observed in events)
            {
                if (Event(observed.Name, out var package, out var definition) is { } error)
                {
                    return error;
                }
                if (definition is not null
                    && (Provisional(package!, definition.Provisional, observed.Name) ?? Parameters(observed.Parameters, definition.ObservedParameters, observed.Name)) is { } parameterError)
                {
                    return parameterError;
                }
            }
            return null;
        }

        /// <summary>An EventBuffer lists events with their observed parameters (H.248.1 §7.1.10).</summary>
        private ErrorDescriptor? Buffered(ValueList<ObservedEvent> events) => Observed(events);

        private ErrorDescriptor? Event(PkgdName name, out PackageDefinition? package, out EventDefinition? definition)
        {
            definition = null;
            package = Package(name);
            if (package is null)
            {
                return UnknownPackage(name);
            }
            if (name.IsItemWildcard)
            {
                return null;
            }
            definition = package.FindEvent(name.Item);
            return definition is null
                ? Error(H248ErrorCode.NoSuchEventInThisPackage, "no event '" + name.Item + "' in package " + package.Name)
                : null;
        }

        private ErrorDescriptor? Signals(ValueList<SignalItem> signals)
        {
            foreach (var item in signals)
            {
                switch (item)
                {
                    case SignalRequest request when Signal(request) is { } error:
                        return error;
                    case SignalList list:
                        foreach (var request in list.Signals)
                        {
                            if (Signal(request) is { } listError)
                            {
                                return listError;
                            }
                        }
                        break;
                }
            }
            return null;
        }

        private ErrorDescriptor? Signal(SignalRequest request)
        {
            if (Package(request.Name) is not { } package)
            {
                return UnknownPackage(request.Name);
            }
            if (package.FindSignal(request.Name.Item) is not { } definition)
            {
                return Error(H248ErrorCode.NoSuchSignalInThisPackage, "no signal '" + request.Name.Item + "' in package " + package.Name);
            }
            return Provisional(package, definition.Provisional, request.Name) ?? Parameters(request.Parameters, definition.Parameters, request.Name);
        }

        private ErrorDescriptor? Statistics(StatisticsDescriptor statistics)
        {
            foreach (var parameter in statistics.Parameters)
            {
                if (Statistic(parameter.Name, out var definition) is { } error)
                {
                    return error;
                }
                if (definition is not null && parameter.Values is { } values)
                {
                    foreach (var value in values)
                    {
                        if (!definition.Domain.TryParse(value, out _))
                        {
                            return BadValue(parameter.Name, value, definition.Domain);
                        }
                    }
                }
            }
            return null;
        }

        private ErrorDescriptor? Statistic(PkgdName name, out StatisticDefinition? definition)
        {
            definition = null;
            if (Package(name) is not { } package)
            {
                return UnknownPackage(name);
            }
            if (name.IsItemWildcard)
            {
                return null;
            }
            definition = package.FindStatistic(name.Item);
            if (definition is null)
            {
                return Error(H248ErrorCode.NoSuchStatisticInThisPackage, "no statistic '" + name.Item + "' in package " + package.Name);
            }
            return Provisional(package, definition.Provisional, name);
        }

        // H.248.1 §7.1.13 (v2 individual audit): the named items must exist; wildcards are allowed.
        private ErrorDescriptor? Audit(AuditDescriptor audit)
        {
            foreach (var parameter in audit.Parameters)
            {
                var error = parameter switch
                {
                    IndAudMediaDescriptor media => AuditMedia(media),
                    IndAudEventsDescriptor events => Event(events.Name, out _, out _),
                    IndAudEventBufferDescriptor buffer => Event(buffer.Name, out _, out _),
                    IndAudSignalsDescriptor { Signal: SignalRequest request } => Signal(request),
                    IndAudSignalsDescriptor { Signal: SignalList list } => Signals([list]),
                    IndAudStatisticsDescriptor statistic => Statistic(statistic.Name, out _),
                    IndAudPackagesDescriptor packages => owner._packages.ContainsKey(packages.Package.Name)
                        ? null
                        : Error(H248ErrorCode.UnsupportedOrUnknownPackage, "package '" + packages.Package.Name + "' is not in profile " + owner.Profile.Name),
                    _ => null,
                };
                if (error is not null)
                {
                    return error;
                }
            }
            return null;
        }

        private ErrorDescriptor? AuditMedia(IndAudMediaDescriptor media)
        {
            if (media.TerminationState is { } state && AuditProperties(state.Properties) is { } stateError)
            {
                return stateError;
            }
            if (media.Stream is { } parms && AuditStream(parms) is { } streamError)
            {
                return streamError;
            }
            foreach (var stream in media.Streams)
            {
                if (AuditStream(stream.Parms) is { } error)
                {
                    return error;
                }
            }
            return null;
        }

        private ErrorDescriptor? AuditStream(IndAudStreamParms parms)
        {
            if (parms.LocalControl is { } control && AuditProperties(control.Properties) is { } error)
            {
                return error;
            }
            return parms.Statistic is { } statistic ? Statistic(statistic, out _) : null;
        }

        private ErrorDescriptor? AuditProperties(ValueList<IndAudPropertyParm> properties)
        {
            foreach (var property in properties)
            {
                if (Package(property.Name) is not { } package)
                {
                    return UnknownPackage(property.Name);
                }
                if (!property.Name.IsItemWildcard && package.FindProperty(property.Name.Item) is null)
                {
                    return Error(H248ErrorCode.NoSuchPropertyInThisPackage, "no property '" + property.Name.Item + "' in package " + package.Name);
                }
            }
            return null;
        }

        private ErrorDescriptor? Packages(PackagesDescriptor packages)
        {
            foreach (var item in packages.Packages)
            {
                if (!owner._packages.ContainsKey(item.Name))
                {
                    return Error(H248ErrorCode.UnsupportedOrUnknownPackage, "package '" + item + "' is not in profile " + owner.Profile.Name);
                }
            }
            return null;
        }

        // H.248.8: 446 unknown parameter, 456 twice, 449 bad value (value in the text).
        private ErrorDescriptor? Parameters(ValueList<PropertyParm> parameters, ValueList<ParameterDefinition> definitions, PkgdName owner)
        {
            HashSet<string>? seen = parameters.Count > 1 ? new(StringComparer.OrdinalIgnoreCase) : null;
            foreach (var parm in parameters)
            {
                ParameterDefinition? definition = null;
                foreach (var candidate in definitions)
                {
                    if (string.Equals(candidate.Name, parm.Name.Item, StringComparison.OrdinalIgnoreCase))
                    {
                        definition = candidate;
                        break;
                    }
                }
                if (definition is null)
                {
                    return Error(H248ErrorCode.UnsupportedOrUnknownParameter, "no parameter '" + parm.Name.Item + "' of " + owner);
                }
                if (seen is not null && !seen.Add(definition.Name))
                {
                    return Error(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, "parameter '" + definition.Name + "' of " + owner + " appears twice");
                }
                if (Values(parm, definition.Domain, secret: false) is { } error)
                {
                    return error;
                }
            }
            return null;
        }

        private static ErrorDescriptor? Values(PropertyParm parm, ValueDomain domain, bool secret)
        {
            foreach (var value in parm.Values)
            {
                if (!domain.TryParse(value, out _))
                {
                    // A key's value stays out of the error text, which the MGC logs and an operator reads.
                    return secret
                        ? Error(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "the value of " + parm.Name + " is not " + domain.Describe())
                        : BadValue(parm.Name, value, domain);
                }
            }
            return null;
        }

        private PackageDefinition? Package(PkgdName name) =>
            owner._packages.TryGetValue(name.Package, out var package) && (applicable is null || applicable.Contains(package.Name)) ? package : null;

        private ErrorDescriptor? Provisional(PackageDefinition package, bool provisional, PkgdName name) =>
            mode == Mode.Emit && provisional && !package.IsPrivate && !owner.Profile.Private
                ? Error(H248ErrorCode.NotImplemented, name + " is provisional (not confirmed against its Recommendation) and is not sent under public package id " + ProfileLoader.Hex(package.Id))
                : null;

        private ErrorDescriptor UnknownPackage(PkgdName name) =>
            Error(H248ErrorCode.UnsupportedOrUnknownPackage, owner._packages.ContainsKey(name.Package)
                ? "package '" + name.Package + "' does not apply to this termination in profile " + owner.Profile.Name
                : "package '" + name.Package + "' is not in profile " + owner.Profile.Name);

        private static ErrorDescriptor BadValue(PkgdName name, string value, ValueDomain domain) =>
            Error(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "value '" + value + "' of " + name + " is not " + domain.Describe());

        private static ErrorDescriptor Error(H248ErrorCode code, string text) => new((ushort)code, text);

        private static string DescriptorName(Descriptor descriptor) => descriptor.GetType().Name.Replace("Descriptor", "", StringComparison.Ordinal);
    }

    private sealed class PairComparer : IEqualityComparer<(string Package, string Item)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((string Package, string Item) x, (string Package, string Item) y) =>
            string.Equals(x.Package, y.Package, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Item, y.Item, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Package, string Item) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Package), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item));
    }
}
