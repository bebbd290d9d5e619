using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Text;
using static Megaco.Protocol.Tests.Profiles.ProfileCommands;

namespace Megaco.Protocol.Tests.Profiles;

/// <summary>Every item of every shipped profile, used well and badly, against the H.248.8 codes.</summary>
public sealed class ProfileValidatorTests
{
    public static TheoryData<string, string, string> Properties() => Items((p, add) =>
    {
        foreach (var property in p.Properties)
        {
            add(property.Name);
        }
    });

    public static TheoryData<string, string, string> Events() => Items((p, add) =>
    {
        foreach (var e in p.Events)
        {
            add(e.Name);
        }
    });

    public static TheoryData<string, string, string> Signals() => Items((p, add) =>
    {
        foreach (var s in p.Signals)
        {
            add(s.Name);
        }
    });

    public static TheoryData<string, string, string> Statistics() => Items((p, add) =>
    {
        foreach (var s in p.Statistics)
        {
            add(s.Name);
        }
    });

    private static TheoryData<string, string, string> Items(Action<PackageDefinition, Action<string>> each)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var profile in ProfileData.Catalog.Profiles)
        {
            foreach (var listed in profile.Packages)
            {
                Assert.True(ProfileData.Catalog.TryGetPackage(listed.Name, out var package));
                each(package, item => data.Add(profile.Name, package.Name, item));
            }
        }
        return data;
    }

    private static (ProfileValidator Validator, PackageDefinition Package) Setup(string profile, string package)
    {
        var definition = ProfileData.Catalog.GetProfile(profile);
        var validator = new ProfileValidator(ProfileData.Catalog, definition);
        Assert.True(validator.TryGetPackage(package, out var packageDefinition));
        Target = TerminationFor(definition, package);
        return (validator, packageDefinition);
    }

    private static void Refused(H248ErrorCode code, ErrorDescriptor? error)
    {
        Assert.NotNull(error);
        Assert.True((ushort)code == error.Code, "expected " + (ushort)code + " " + code + ", got " + error.Code + " " + error.Text);
        Assert.DoesNotContain('"', error.Text!);
    }

    /// <summary>Refused with 449, the offending value quoted in the error text (TS 29.334 §5.17.1).</summary>
    private static void RefusedValue(string bad, ErrorDescriptor? error)
    {
        Refused(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, error);
        Assert.Contains("'" + bad + "'", error!.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Property_used_well_is_accepted_and_each_misuse_refused(string profile, string packageName, string item)
    {
        var (validator, package) = Setup(profile, packageName);
        var property = package.FindProperty(item)!;
        var where = First(property.AllowedIn);
        var name = new PkgdName(package.Name.ToUpperInvariant(), property.Name.ToUpperInvariant());
        var good = new PropertyParm(name, [Good(property.Domain, property.Default)]);

        if (property.ReadOnly)
        {
            Refused(H248ErrorCode.IllegalWriteOfReadOnlyProperty, validator.Validate(WithProperty(good, where)));
            var audit = new AuditRequest(AuditKind.Value, Target, new AuditDescriptor(Parameters:
                [new IndAudMediaDescriptor(TerminationState: new IndAudTerminationStateDescriptor(Properties: [new IndAudPropertyParm(name)]))]));
            Assert.Null(validator.Validate(audit));
            Assert.Null(validator.Validate(new AuditReply(AuditKind.Value, Target,
                [new MediaDescriptor(TerminationState: new TerminationStateDescriptor(Properties: [good]))])));
        }
        else
        {
            Assert.Null(validator.Validate(new CommandRequest(WithProperty(good, where))));
            Assert.True(validator.TryReadProperty(good, out var typed));
            Assert.Equal(property.Domain.Type, typed.Type);
        }

        if (Bad(property.Domain) is { } bad)
        {
            var refusal = validator.Validate(new AmmsReply(AmmsKind.Modify, Target,
                [WithProperty(new PropertyParm(name, [bad]), where).Descriptors[0]]));
            if (property.Secret)
            {
                // A key's value never reaches an error text (ProfileSecretTests).
                Refused(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, refusal);
                Assert.DoesNotContain(bad, refusal!.Text, StringComparison.Ordinal);
            }
            else
            {
                RefusedValue(bad, refusal);
            }
        }
        if (property.AllowedIn != (DescriptorKinds.LocalControl | DescriptorKinds.TerminationState))
        {
            var other = where == DescriptorKinds.LocalControl ? DescriptorKinds.TerminationState : DescriptorKinds.LocalControl;
            Refused(H248ErrorCode.PropertyIllegalInThisDescriptor, validator.Validate(WithProperty(good, other)));
        }
        if (where == DescriptorKinds.LocalControl && !property.ReadOnly)
        {
            Refused(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor,
                validator.Validate(WithProperties([good, good with { Name = new PkgdName(package.Name, property.Name) }])));
        }
        Refused(H248ErrorCode.NoSuchPropertyInThisPackage,
            validator.Validate(WithProperty(new PropertyParm(new PkgdName(package.Name, "nosuchitem"), ["1"]), where)));
        Refused(H248ErrorCode.UnsupportedOrUnknownProperty,
            validator.Validate(WithProperty(new PropertyParm(new PkgdName(string.Empty, property.Name), ["1"]), where)));
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Event_used_well_is_accepted_and_each_misuse_refused(string profile, string packageName, string item)
    {
        var (validator, package) = Setup(profile, packageName);
        var e = package.FindEvent(item)!;
        var name = new PkgdName(package.Name, e.Name);

        Assert.Null(validator.Validate(WithEvent(name, GoodParameters(e.Parameters))));
        Assert.Null(validator.Validate(Notify(name, GoodParameters(e.ObservedParameters))));
        Assert.Null(validator.Validate(new AuditReply(AuditKind.Value, Target,
            [new ObservedEventsDescriptor(1, [new ObservedEvent(name, Parameters: GoodParameters(e.ObservedParameters))])])));

        Refused(H248ErrorCode.NoSuchEventInThisPackage, validator.Validate(WithEvent(new PkgdName(package.Name, "nosuchevent"))));
        Refused(H248ErrorCode.NoSuchEventInThisPackage, validator.Validate(Notify(new PkgdName(package.Name, "nosuchevent"))));
        Refused(H248ErrorCode.UnsupportedOrUnknownParameter,
            validator.Validate(WithEvent(name, [PropertyParm.Of(string.Empty, "nosuchparm", "1")])));
        Refused(H248ErrorCode.UnsupportedOrUnknownParameter,
            validator.Validate(Notify(name, [PropertyParm.Of(string.Empty, "nosuchparm", "1")])));
        EachParameterMisused(e.Parameters, parameters => validator.Validate(WithEvent(name, parameters)));
        EachParameterMisused(e.ObservedParameters, parameters => validator.Validate(Notify(name, parameters)));
    }

    /// <summary>Each parameter with a value outside its type (449, value quoted) and given twice (456).</summary>
    private static void EachParameterMisused(ValueList<ParameterDefinition> definitions, Func<ValueList<PropertyParm>, ErrorDescriptor?> validate)
    {
        foreach (var parameter in definitions)
        {
            if (Bad(parameter.Domain) is { } bad)
            {
                RefusedValue(bad, validate([PropertyParm.Of(string.Empty, parameter.Name, bad)]));
            }
            var twice = PropertyParm.Of(string.Empty, parameter.Name, Good(parameter.Domain, parameter.Default));
            Refused(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, validate([twice, twice]));
        }
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public void Signal_used_well_is_accepted_and_each_misuse_refused(string profile, string packageName, string item)
    {
        var (validator, package) = Setup(profile, packageName);
        var signal = package.FindSignal(item)!;
        var name = new PkgdName(package.Name, signal.Name);

        Assert.Null(validator.Validate(WithSignal(name, GoodParameters(signal.Parameters))));
        Refused(H248ErrorCode.NoSuchSignalInThisPackage, validator.Validate(WithSignal(new PkgdName(package.Name, "nosuchsignal"))));
        Refused(H248ErrorCode.UnsupportedOrUnknownParameter,
            validator.Validate(WithSignal(name, [PropertyParm.Of(string.Empty, "nosuchparm", "1")])));
        EachParameterMisused(signal.Parameters, parameters => validator.Validate(WithSignal(name, parameters)));
        var embedded = Modify(new EventsDescriptor(1, [new RequestedEvent(new PkgdName("g", "cause"),
            EmbeddedSignals: new SignalsDescriptor([new SignalRequest(new PkgdName(package.Name, "nosuchsignal"))]))]));
        Refused(H248ErrorCode.NoSuchSignalInThisPackage, validator.Validate(embedded));
    }

    [Theory]
    [MemberData(nameof(Statistics))]
    public void Statistic_used_well_is_accepted_and_each_misuse_refused(string profile, string packageName, string item)
    {
        var (validator, package) = Setup(profile, packageName);
        var statistic = package.FindStatistic(item)!;
        var name = new PkgdName(package.Name, statistic.Name);

        Assert.Null(validator.Validate(WithStatistic(name)));
        Assert.Null(validator.Validate(new AmmsReply(AmmsKind.Subtract, Target,
            [new StatisticsDescriptor([new StatisticsParameter(name, ["1200"])])])));
        Refused(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, validator.Validate(new AmmsReply(AmmsKind.Subtract, Target,
            [new StatisticsDescriptor([new StatisticsParameter(name, ["lots"])])])));
        Refused(H248ErrorCode.NoSuchStatisticInThisPackage, validator.Validate(WithStatistic(new PkgdName(package.Name, "nosuchstat"))));
    }

    [Theory]
    [InlineData("iq")]
    [InlineData("ix")]
    [InlineData("mp")]
    public void Package_outside_the_profile_is_unsupported(string profile)
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile(profile));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(WithEvent(new PkgdName("tonedet", "std"))));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(WithSignal(new PkgdName("cg", "rt"))));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(WithStatistic(new PkgdName("rtp", "ps"))));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage,
            validator.Validate(WithProperty(PropertyParm.Of("xnq", "x", "1"), DescriptorKinds.LocalControl)));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(new AuditReply(AuditKind.Capabilities, Ephemeral,
            [new PackagesDescriptor([new PackageItem("g", 1), new PackageItem("xnq", 1)])])));
    }

    [Fact]
    public void Mp_does_not_list_ipra_so_it_is_refused_there_but_not_on_iq()
    {
        var ar = new AuditRequest(AuditKind.Value, [TerminationId.Root], new AuditDescriptor(Parameters:
            [new IndAudMediaDescriptor(TerminationState: new IndAudTerminationStateDescriptor(Properties: [new IndAudPropertyParm(new PkgdName("ipra", "ar"))]))]));
        Assert.Null(new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq")).Validate(ar));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("mp")).Validate(ar));
    }

    [Fact]
    public void H248_69_packages_are_listed_on_mp_only_and_rtcph_is_mandatory_on_iq()
    {
        var report = new AuditReply(AuditKind.Capabilities, Ephemeral,
            [new PackagesDescriptor([new PackageItem("g", 1), new PackageItem("msrpstat", 1), new PackageItem("msrpcs", 1), new PackageItem("msi", 1)])]);
        Assert.Null(new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("mp")).Validate(report));
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq")).Validate(report));
        Assert.Equal(PackageSupport.Mandatory, ProfileData.Catalog.GetProfile("iq").FindPackage("rtcph")!.Support);
    }

    [Fact]
    public void Package_outside_the_termination_class_is_unsupported_there()
    {
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        var timer = PropertyParm.Of("root", "normalMGExecutionTime", "500");
        var onRoot = new AmmRequest(AmmKind.Modify, [TerminationId.Root],
            [new MediaDescriptor(TerminationState: new TerminationStateDescriptor(Properties: [timer]))]);
        Assert.Null(validator.Validate(onRoot));
        var error = validator.Validate(onRoot with { TerminationIds = Ephemeral });
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, error);
        Assert.Contains("does not apply to this termination", error!.Text, StringComparison.Ordinal);
        Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(new AmmRequest(AmmKind.Modify, [TerminationId.Root],
            [new MediaDescriptor(Stream: new StreamParms(LocalControl: new LocalControlDescriptor(Properties: [PropertyParm.Of("ds", "dscp", "46")])))])));
        Assert.Null(validator.Validate(onRoot with { TerminationIds = [TerminationId.All] }));
    }

    [Fact]
    public void Descriptor_illegal_in_the_command_and_descriptor_twice()
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        Refused(H248ErrorCode.DescriptorNotLegalInThisCommand, validator.Validate(Modify(new PackagesDescriptor([new PackageItem("g", 1)]))));
        Refused(H248ErrorCode.DescriptorNotLegalInThisCommand, validator.Validate(Modify(new ObservedEventsDescriptor(1, []))));
        Refused(H248ErrorCode.DescriptorNotLegalInThisCommand, validator.Validate(Modify(new ErrorDescriptor(500))));
        Refused(H248ErrorCode.DescriptorAppearsTwiceInCommand, validator.Validate(Modify(EventsDescriptor.Empty, EventsDescriptor.Empty)));
    }

    [Fact]
    public void A_command_read_from_text_is_validated()
    {
        var text = """
            MEGACO/3 [10.0.0.1]:2944
            Transaction = 7 {
              Context = 1 {
                Modify = ip/1 {
                  Media { Stream = 1 { LocalControl { Mode = SendReceive, ipnapt/latch = RELATCH, gm/saf = on, ds/dscp = 46 } } },
                  Events = 12 { tlsbsc/estfail, g/cause }
                },
                Modify = ip/2 { Media { Stream = 1 { LocalControl { ds/dscp = 64 } } } }
              }
            }
            """;
        var message = MegacoTextReader.Default.Read(text);
        Assert.True(message.IsSuccess, message.FirstError?.ToString());
        var commands = ((TransactionRequest)message.Message!.Transactions[0]).Actions[0].Commands;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        Assert.Null(validator.Validate(commands[0]));
        var error = validator.Validate(commands[1]);
        Refused(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, error);
        Assert.Contains("'64'", error!.Text, StringComparison.Ordinal);

        var control = ((MediaDescriptor)((AmmRequest)commands[0].Command).Descriptors[0]).Streams[0].Parms.LocalControl!;
        Assert.True(validator.TryReadProperty(control.Properties, "IPNAPT", "latch", out var latch));
        Assert.True(latch.Is("relatch"));
        Assert.True(validator.TryReadProperty(control.Properties, "gm", "saf", out var saf));
        Assert.True(saf.Boolean);
        Assert.True(validator.TryReadProperty(control.Properties, "ds", "dscp", out var dscp));
        Assert.Equal(46, dscp.Integer);
    }

    [Fact]
    public void Provisional_items_are_accepted_on_receipt_but_never_sent_under_a_public_id()
    {
        Target = Ephemeral;
        var iq = ProfileData.Catalog.GetProfile("iq");
        var validator = new ProfileValidator(ProfileData.Catalog, iq);
        var estab = WithSignal(new PkgdName("tlsbsc", "estab"));
        Assert.Null(validator.Validate(estab));
        Refused(H248ErrorCode.NotImplemented, validator.CheckOutgoing(estab));
        Refused(H248ErrorCode.NotImplemented, validator.CheckOutgoing(Notify(new PkgdName("tcpbcc", "estfail"))));
        Refused(H248ErrorCode.NotImplemented, validator.CheckOutgoing(WithProperty(PropertyParm.Of("ipnapt", "latch", "latch"), DescriptorKinds.LocalControl)));
        Assert.Null(validator.CheckOutgoing(Notify(new PkgdName("g", "cause"), [PropertyParm.Of(string.Empty, "Generalcause", "NR")])));

        var lab = new ProfileValidator(ProfileData.Catalog, iq with { Name = "lab", Private = true });
        Assert.Null(lab.CheckOutgoing(estab));
    }

    [Fact]
    public void Thousands_of_properties_are_refused_at_the_first_repeat()
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        var many = WithProperties(new ValueList<PropertyParm>(Enumerable.Repeat(PropertyParm.Of("ds", "dscp", "46"), 10_000)));
        Refused(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, validator.Validate(many));
        AssertBoundedPerCall(() => validator.Validate(many), 1024);

        var distinct = WithProperties(new ValueList<PropertyParm>(Enumerable.Range(0, 10_000).Select(i => PropertyParm.Of("ds", "p" + i, "1"))));
        Refused(H248ErrorCode.NoSuchPropertyInThisPackage, validator.Validate(distinct));
        AssertBoundedPerCall(() => validator.Validate(distinct), 1024);
    }

    [Fact]
    public void Hundreds_of_unknown_packages_are_refused_at_the_first()
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        var unknown = new ValueList<PropertyParm>(Enumerable.Range(0, 500).Select(i => PropertyParm.Of("p" + i, "x", "1")));
        var events = new ValueList<RequestedEvent>(Enumerable.Range(0, 500).Select(i => new RequestedEvent(new PkgdName("p" + i, "e"))));
        var properties = WithProperties(unknown);
        var requested = Modify(new EventsDescriptor(1, events));
        var signals = Modify(new SignalsDescriptor(new ValueList<SignalItem>(Enumerable.Range(0, 500).Select(i => (SignalItem)new SignalRequest(new PkgdName("p" + i, "s"))))));
        var statistics = Modify(new MediaDescriptor(Stream: new StreamParms(Statistics: new StatisticsDescriptor(
            new ValueList<StatisticsParameter>(Enumerable.Range(0, 500).Select(i => new StatisticsParameter(new PkgdName("p" + i, "st"))))))));
        foreach (var command in new Command[] { properties, requested, signals, statistics })
        {
            Refused(H248ErrorCode.UnsupportedOrUnknownPackage, validator.Validate(command));
            AssertBoundedPerCall(() => validator.Validate(command), 1024);
        }
    }

    [Fact]
    public void Deeply_nested_embedded_events_are_refused_without_recursing_through_them()
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        var events = new EventsDescriptor(1, [new RequestedEvent(new PkgdName("g", "cause"))]);
        for (var depth = 0; depth < 100_000; depth++)
        {
            events = new EventsDescriptor(1, [new RequestedEvent(new PkgdName("g", "cause"), EmbeddedEvents: events)]);
        }
        Refused(H248ErrorCode.SyntaxErrorInCommand, validator.Validate(Modify(events)));

        var oneLevel = new EventsDescriptor(1, [new RequestedEvent(new PkgdName("g", "cause"),
            EmbeddedEvents: new EventsDescriptor(2, [new RequestedEvent(new PkgdName("nt", "netfail"))]))]);
        Assert.Null(validator.Validate(Modify(oneLevel)));
    }

    [Fact]
    public void Refusing_abuse_allocates_next_to_nothing()
    {
        Target = Ephemeral;
        var validator = new ProfileValidator(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));
        var unknown = Modify(new EventsDescriptor(1,
            new ValueList<RequestedEvent>(Enumerable.Range(0, 500).Select(i => new RequestedEvent(new PkgdName("p" + i, "e"))))));
        AssertBoundedPerCall(() => validator.Validate(unknown), 512);
    }

    /// <summary>
    /// Repeats a refusal and fails when one call allocates more than <paramref name="maxBytes"/> on
    /// average: the cost of refusing does not grow with the size of the abuse or with repetition.
    /// </summary>
    internal static void AssertBoundedPerCall(Func<ErrorDescriptor?> refuse, long maxBytes)
    {
        Assert.NotNull(refuse());
        const int Rounds = 2_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            refuse();
        }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
        Assert.True(perCall <= maxBytes, perCall + " bytes per refusal, bound " + maxBytes);
    }
}
