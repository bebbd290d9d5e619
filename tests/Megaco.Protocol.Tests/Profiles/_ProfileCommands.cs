using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using ValueType = Megaco.Protocol.Profiles.ValueType;

namespace Megaco.Protocol.Tests.Profiles;

/// <summary>Builds commands that use one profile item, well or badly.</summary>
internal static class ProfileCommands
{
    public static readonly ValueList<TerminationId> Ephemeral = [new TerminationId("ip/1")];

    /// <summary>
    /// The termination the items of the current test apply to (ROOT for root-only packages); per
    /// thread because test classes run in parallel, and set at the start of each test that builds commands.
    /// </summary>
    [ThreadStatic]
    private static ValueList<TerminationId> t_target;

    public static ValueList<TerminationId> Target
    {
        get => t_target.IsEmpty ? Ephemeral : t_target;
        set => t_target = value;
    }

    /// <summary>A termination of a class the profile applies <paramref name="package"/> to.</summary>
    public static ValueList<TerminationId> TerminationFor(ProfileDefinition profile, string package) =>
        profile.TerminationClasses.First(c => c.Packages.Contains(package, StringComparer.OrdinalIgnoreCase)).Termination == "ROOT"
            ? [TerminationId.Root]
            : Ephemeral;

    public static AmmRequest Modify(params Descriptor[] descriptors) =>
        new(AmmKind.Modify, Target, new ValueList<Descriptor>(descriptors));

    public static AmmRequest WithProperty(PropertyParm parm, DescriptorKinds where) =>
        Modify(where == DescriptorKinds.TerminationState
            ? new MediaDescriptor(TerminationState: new TerminationStateDescriptor(Properties: [parm]))
            : new MediaDescriptor(Stream: new StreamParms(LocalControl: new LocalControlDescriptor(Properties: [parm]))));

    public static AmmRequest WithProperties(ValueList<PropertyParm> parms) =>
        Modify(new MediaDescriptor(Stream: new StreamParms(LocalControl: new LocalControlDescriptor(Properties: parms))));

    public static AmmRequest WithEvent(PkgdName name, ValueList<PropertyParm> parameters = default) =>
        Modify(new EventsDescriptor(1, [new RequestedEvent(name, Parameters: parameters)]));

    public static AmmRequest WithSignal(PkgdName name, ValueList<PropertyParm> parameters = default) =>
        Modify(new SignalsDescriptor([new SignalRequest(name, Parameters: parameters)]));

    public static AmmRequest WithStatistic(PkgdName name) =>
        Modify(new MediaDescriptor(Stream: new StreamParms(Statistics: new StatisticsDescriptor([new StatisticsParameter(name)]))));

    public static NotifyRequest Notify(PkgdName name, ValueList<PropertyParm> parameters = default) =>
        new(Target, new ObservedEventsDescriptor(1, [new ObservedEvent(name, Parameters: parameters)]));

    public static DescriptorKinds First(DescriptorKinds kinds) =>
        (kinds & DescriptorKinds.LocalControl) != 0 ? DescriptorKinds.LocalControl : DescriptorKinds.TerminationState;

    /// <summary>A value of the domain's type: the default when there is one.</summary>
    public static string Good(ValueDomain domain, string? preferred = null) => preferred ?? domain.Type switch
    {
        ValueType.Boolean => "on",
        ValueType.Integer => (domain.Range?.Min ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ValueType.Enum => domain.Values[0].ToLowerInvariant(),
        ValueType.OctetString => "0a1b",
        _ => "x",
    };

    /// <summary>A value outside the domain, or null for a string that takes anything.</summary>
    public static string? Bad(ValueDomain domain) => domain.Type switch
    {
        ValueType.Boolean => "maybe",
        ValueType.Integer when domain.Range is { Max: < long.MaxValue } r => (r.Max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ValueType.Integer => "twelve",
        ValueType.Enum => "nosuchvalue",
        ValueType.OctetString => "xyz",
        _ => null,
    };

    public static ValueList<PropertyParm> GoodParameters(ValueList<ParameterDefinition> definitions) =>
        new(definitions.Select(p => new PropertyParm(new PkgdName(string.Empty, p.Name), [Good(p.Domain, p.Default)])));
}
