using System.Text;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text.Generators;

/// <summary>
/// Builds random but valid <see cref="MegacoMessage"/> models for one protocol version, from a seed, so
/// that a failing case is reproduced by its seed alone. "Valid" means: the text form can represent it and
/// the reader returns exactly this model for that text. The reader's normalisations are therefore
/// mirrored here (no empty ContextRequest or implied StreamParms, <c>*</c> request id as uint.MaxValue,
/// <c>ROOT</c> as <see cref="TerminationId.Root"/>, bare names with an empty package, ...), and constructs
/// are gated by the version that introduced them. Sizes stay small: lists of at most four items and
/// embedding at most a few levels deep, so a failing case is readable.
/// </summary>
public sealed class ModelGenerator
{
    private const int MaxList = 4;

    private readonly Random _random;
    private readonly int _version;

    public ModelGenerator(int seed, int version)
    {
        if (version is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Versions 1 to 3 only.");
        }
        _random = new Random(seed);
        _version = version;
    }

    public static MegacoMessage Generate(int seed, int version) => new ModelGenerator(seed, version).Message();

    private bool V2 => _version >= 2;

    private bool V3 => _version >= 3;

    // ---- primitives ----

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private int Int(int min, int maxInclusive) => _random.Next(min, maxInclusive + 1);

    private uint UInt32() => Chance(0.2) ? Pick(0u, 1u, uint.MaxValue - 2, uint.MaxValue) : (uint)_random.NextInt64(0, 1L << 32);

    private ushort UInt16() => Chance(0.2) ? Pick((ushort)0, (ushort)1, ushort.MaxValue) : (ushort)_random.Next(0, 65536);

    private ValueList<T> List<T>(int min, Func<T> item, int max = MaxList)
    {
        var count = Int(min, max);
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = item();
        }
        return new ValueList<T>(items);
    }

    private T? Maybe<T>(Func<T> value, double p = 0.5) where T : class => Chance(p) ? value() : null;

    private T? MaybeValue<T>(Func<T> value, double p = 0.5) where T : struct => Chance(p) ? value() : null;

    // ---- names and values ----

    // Bare names (no package) are looked up as keywords by the reader wherever a keyword may stand, so only
    // names that are no token in either spelling are used.
    private static readonly string[] BareNames = CheckedNames("xval", "level", "p1", "gain7", "foo_bar", "cause", "tl", "jit");

    private static readonly string[] PackageNames = ["g", "al", "tonegen", "dd", "rtp", "nt", "ct", "xpkg-2", "cg"];

    private static readonly string[] Items = ["on", "of", "ce", "jit", "x1", "tl", "ds", "cause", "Mode", "Stream", "dtmf_9"];

    private static string[] CheckedNames(params string[] names)
    {
        foreach (var name in names)
        {
            if (KeywordTable.Lookup(Encoding.ASCII.GetBytes(name)) != Keyword.None)
            {
                throw new InvalidOperationException($"'{name}' is a keyword and cannot be a bare name.");
            }
        }
        return names;
    }

    private PkgdName PkgdName(bool allowBare = true, bool allowWildcard = true)
    {
        if (allowBare && Chance(0.1))
        {
            return new PkgdName(string.Empty, Pick(BareNames));
        }
        if (allowWildcard && Chance(0.05))
        {
            return new PkgdName("*", "*");
        }
        return new PkgdName(Pick(PackageNames), allowWildcard && Chance(0.05) ? "*" : Pick(Items));
    }

    // VALUE = quotedString / 1*(SafeChar); the writer decides whether to quote. Values never hold '"'.
    private static readonly string[] Values =
    [
        "1", "0", "4294967295", "on", "OFF", "ON", "Add", "a b", "x=y", "", "192.0.2.1", "-12", "abc_DEF",
        "rest;[]{}:,#<>=", "tab\there", "*", "$", "a/b", "with space ", " lead",
    ];

    private string Value() => Pick(Values);

    private static readonly string[] Texts =
    [
        "", "Syntax error", "No such context", "x{y}z", "a,b;c", "  spaced  ", "tab\tin", "[]<>#=:",
    ];

    private PropertyParm PropertyParm(bool allowBare = true)
    {
        var name = PkgdName(allowBare);
        var relation = Pick(Enum.GetValues<ParmRelation>());
        ValueList<string> values = relation switch
        {
            ParmRelation.Range => [Value(), Value()],
            ParmRelation.All or ParmRelation.Alternatives => List(1, Value),
            _ => [Value()],
        };
        return new PropertyParm(name, values, relation);
    }

    private ValueList<PropertyParm> Properties(int min = 0) => List(min, () => PropertyParm());

    private TerminationId TerminationId() => Pick(
        Model.TerminationId.Root, Model.TerminationId.Choose, Model.TerminationId.All,
        new TerminationId("tdm/1"), new TerminationId("rtp/$"), new TerminationId("trunk/*/4"),
        new TerminationId("ep12"), new TerminationId("line1@mg.example.net"), new TerminationId("*a_b/$"),
        new TerminationId("rtp/" + _random.Next(0, 100000)));

    // termIDList: several ids only from v3.
    private ValueList<TerminationId> TerminationIds() =>
        V3 && Chance(0.3) ? List(2, TerminationId) : [TerminationId()];

    private ContextId ContextId() => Int(0, 5) switch
    {
        0 => Model.ContextId.Null,
        1 => Model.ContextId.Choose,
        2 => Model.ContextId.All,
        3 => new ContextId(Pick(1u, 0xFFFFFFFDu)),
        _ => new ContextId((uint)_random.NextInt64(1, 0xFFFFFFFE)),
    };

    // RequestID = UINT32 / "*"; the reader returns "*" as uint.MaxValue.
    private uint RequestId() => Chance(0.15) ? uint.MaxValue : UInt32();

    private TimeNotation TimeNotation() =>
        new(_random.Next(19700101, 20991231).ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
            _random.Next(0, 100000000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture));

    private ErrorDescriptor Error()
    {
        // ErrorCode = 1*4(DIGIT).
        var code = Chance(0.5) ? Pick<ushort>(400, 401, 402, 403, 410, 430, 431, 500, 501, 510) : (ushort)Int(0, 9999);
        return new ErrorDescriptor(code, Chance(0.6) ? Pick(Texts) : null);
    }

    // ---- message ----

    public MegacoMessage Message()
    {
        var auth = Maybe(Authentication, 0.15);
        var mid = MId(allowPort: true);
        if (Chance(0.05))
        {
            return new MegacoMessage(_version, mid, ValueList<Transaction>.Empty, Error(), auth);
        }
        var transactions = List(1, Transaction, 3);
        return new MegacoMessage(_version, mid, transactions, null, auth);
    }

    private AuthenticationHeader Authentication()
    {
        // AuthData = "0x" 24*64(HEXDIG); the model holds the digits as written.
        var length = Int(24, 64);
        var digits = new char[length];
        for (var i = 0; i < length; i++)
        {
            digits[i] = "0123456789abcdefABCDEF"[_random.Next(22)];
        }
        return new AuthenticationHeader(UInt32(), UInt32(), new string(digits));
    }

    private MId MId(bool allowPort)
    {
        ushort? Port() => allowPort && Chance(0.5) ? UInt16() : null;
        return Int(0, 4) switch
        {
            0 => Model.MId.IPv4(Pick("192.0.2.1", "10.0.0.254", "0.0.0.0", "255.255.255.255"), Port()),
            1 => Model.MId.IPv6(Pick("2001:db8::1", "::1", "fe80::a:b:c:d", "2001:db8:0:0:0:0:0:2"), Port()),
            2 => Model.MId.Domain(Pick("mgc.example.net", "mg1", "a-b.c_d.example"), Port()),
            // A device name of digits only would read back as a ServiceChange port.
            3 => Model.MId.Device(Pick("mg1", "gw/dev.7", "media_gateway-3")),
            _ => Model.MId.Mtp(Pick("0a1B", "12345678", "abcdef")),
        };
    }

    private Transaction Transaction()
    {
        var kinds = V3 ? 6 : 5;
        return Int(0, kinds - 1) switch
        {
            0 or 1 => new TransactionRequest(UInt32(), List(1, ActionRequest, 3)),
            2 => TransactionReply(),
            3 => new TransactionPending(UInt32()),
            4 => new TransactionResponseAck(List(1, AckRange)),
            _ => new SegmentReply(UInt32(), UInt16(), Chance(0.5)),
        };
    }

    private TransactionAckRange AckRange()
    {
        var first = UInt32();
        if (Chance(0.5))
        {
            return TransactionAckRange.Single(first);
        }
        var last = first + (uint)_random.Next(0, 1000);
        return new TransactionAckRange(first, last < first ? uint.MaxValue : last);
    }

    private TransactionReply TransactionReply()
    {
        ushort? segment = V3 && Chance(0.3) ? UInt16() : null;
        var complete = segment is not null && Chance(0.5);
        var immAck = Chance(0.3);
        return Chance(0.2)
            ? new TransactionReply(UInt32(), ValueList<ActionReply>.Empty, Error(), immAck, segment, complete)
            : new TransactionReply(UInt32(), List(1, ActionReply, 3), null, immAck, segment, complete);
    }

    // ---- actions and context ----

    private ActionRequest ActionRequest()
    {
        var context = Maybe(ContextRequest, 0.3);
        var audit = Maybe(ContextAudit, 0.2);
        var min = context is null && audit is null ? 1 : 0;
        return new ActionRequest(ContextId(), List(min, CommandRequest, 3), context, audit);
    }

    private ActionReply ActionReply()
    {
        // v3 lets context properties stand among the command replies.
        var context = V3 ? Maybe(ContextRequest, 0.2) : null;
        var commands = List(0, CommandReply, 3);
        var error = Chance(0.15) ? Error() : null;
        return new ActionReply(ContextId(), commands, error, context);
    }

    /// <summary>Never empty: the reader returns null for a context request with nothing in it.</summary>
    private ContextRequest ContextRequest()
    {
        while (true)
        {
            var request = new ContextRequest(
                Chance(0.4) ? List(1, TopologyTriple) : default,
                MaybeValue(UInt16, 0.3),
                Chance(0.3) ? (V2 ? Chance(0.5) : true) : null,
                V3 && Chance(0.3) ? Chance(0.5) : null,
                V3 && Chance(0.2) ? Properties(1) : default);
            if (V3 && request.ContextProperties.IsEmpty && Chance(0.15))
            {
                request = request with { ContextList = List(1, ContextId) };
            }
            if (!request.IsEmpty)
            {
                return request;
            }
        }
    }

    private TopologyTriple TopologyTriple()
    {
        var direction = V3 && Chance(0.2)
            ? Pick(TopologyDirection.OnewayExternal, TopologyDirection.OnewayBoth)
            : Pick(TopologyDirection.Bothway, TopologyDirection.Isolate, TopologyDirection.Oneway);
        TopologyDirection? extension = V3 && direction == TopologyDirection.Oneway && Chance(0.4)
            ? Pick(TopologyDirection.OnewayExternal, TopologyDirection.OnewayBoth)
            : null;
        return new TopologyTriple(TerminationId(), TerminationId(), direction, V2 ? MaybeValue(UInt16, 0.3) : null, extension);
    }

    private ContextAttrAuditRequest ContextAudit()
    {
        while (true)
        {
            var audit = new ContextAttrAuditRequest(Chance(0.5), Chance(0.4), Chance(0.4));
            if (V3)
            {
                audit = audit with
                {
                    Ieps = Chance(0.3),
                    Properties = Chance(0.3) ? List(1, () => PkgdName(allowBare: false)) : default,
                    SelectPriority = MaybeValue(UInt16, 0.2),
                    SelectEmergency = Chance(0.2) ? Chance(0.5) : null,
                    SelectIeps = Chance(0.2) ? Chance(0.5) : null,
                    SelectLogic = Chance(0.2) ? Pick(AuditSelectLogic.And, AuditSelectLogic.Or) : null,
                    SelectProperties = Chance(0.2) ? Properties(1) : default,
                    InContextAttr = Chance(0.2),
                };
            }
            if (audit.Topology || audit.Emergency || audit.Priority || audit.Ieps || !audit.Properties.IsEmpty
                || audit.SelectPriority is not null || audit.SelectEmergency is not null || audit.SelectIeps is not null
                || audit.SelectLogic is not null || !audit.SelectProperties.IsEmpty)
            {
                return audit;
            }
        }
    }

    // ---- commands ----

    private CommandRequest CommandRequest() =>
        new(Command(), V2 && Chance(0.2), V2 && Chance(0.2));

    private Command Command() => Int(0, 5) switch
    {
        0 or 1 => new AmmRequest(Pick(AmmKind.Add, AmmKind.Move, AmmKind.Modify), TerminationIds(), List(0, AmmDescriptor)),
        2 => new SubtractRequest(TerminationIds(), Maybe(Audit)),
        3 => new AuditRequest(Pick(AuditKind.Value, AuditKind.Capabilities), TerminationIds(), Maybe(Audit)),
        4 => NotifyRequest(),
        _ => new ServiceChangeRequest(TerminationIds(), ServiceChangeParm()),
    };

    private NotifyRequest NotifyRequest() => Int(0, 2) switch
    {
        0 => new NotifyRequest(TerminationIds(), ObservedEvents()),
        1 => new NotifyRequest(TerminationIds(), ObservedEvents(), Error()),
        _ => new NotifyRequest(TerminationIds(), null, Error()),
    };

    /// <summary>ammParameter; Modem only in v1, whose grammar still has it; Statistics only from v3, which added it.</summary>
    private Descriptor AmmDescriptor() => Int(0, 8) switch
    {
        0 => Media(),
        1 => _version == 1 ? Modem() : Mux(),
        2 => Mux(),
        3 => Events(depth: 0),
        4 => Signals(),
        5 => DigitMap(),
        6 => EventBuffer(),
        7 => Audit(),
        _ => V3 ? Statistics() : Signals(),
    };

    // ---- replies ----

    private CommandReply CommandReply() => Int(0, 3) switch
    {
        0 => new AmmsReply(Pick(Enum.GetValues<AmmsKind>()), TerminationIds(), Chance(0.5) ? TerminationAudit() : null),
        1 => AuditReply(),
        2 => new NotifyReply(TerminationIds(), Maybe(Error, 0.3)),
        _ => ServiceChangeReply(),
    };

    private AuditReply AuditReply()
    {
        var kind = Pick(AuditKind.Value, AuditKind.Capabilities);
        return Int(0, 3) switch
        {
            0 => new AuditReply(kind, List(1, TerminationId), null, IsContextAuditResult: true),
            1 => new AuditReply(kind, ValueList<TerminationId>.Empty, null, true, Error()),
            _ => new AuditReply(kind, TerminationIds(), Chance(0.7) ? TerminationAudit() : null),
        };
    }

    private ServiceChangeReply ServiceChangeReply() => Int(0, 2) switch
    {
        0 => new ServiceChangeReply(TerminationIds()),
        1 => new ServiceChangeReply(TerminationIds(), null, Error()),
        _ => new ServiceChangeReply(TerminationIds(), ServiceChangeResParm()),
    };

    /// <summary>terminationAudit is never empty.</summary>
    private ValueList<Descriptor> TerminationAudit() => List(1, AuditReturnParameter);

    private Descriptor AuditReturnParameter() => Int(0, 11) switch
    {
        0 => Media(),
        1 => _version == 1 ? Modem() : Mux(),
        2 => Mux(),
        3 => Events(depth: 0),
        4 => Signals(),
        5 => DigitMap(),
        6 => ObservedEvents(),
        7 => EventBuffer(),
        8 => Statistics(),
        9 => Packages(),
        10 => Error(),
        // A bare Events, Signals, EventBuffer or Statistics token reads as the empty descriptor, so only these
        // tokens stand alone as an auditReturnItem.
        _ => new AuditReturnItemDescriptor(Pick(
            _version == 1 ? AuditTokens.Modem : AuditTokens.Mux,
            AuditTokens.Mux, AuditTokens.Media, AuditTokens.DigitMap, AuditTokens.ObservedEvents, AuditTokens.Packages)),
    };

    // ---- ServiceChange ----

    private ServiceChangeParm ServiceChangeParm()
    {
        var method = Pick(Enum.GetValues<ServiceChangeMethod>());
        var address = Maybe(ServiceChangeAddress, 0.3);
        var parm = new ServiceChangeParm(
            method,
            Pick("901 Cold Boot", "900", "905 Termination taken out of service", "X", "Restart"),
            Chance(0.3) ? UInt32() : null,
            address,
            Maybe(Profile, 0.3),
            Chance(0.3) ? (ushort)Int(0, 99) : null,
            // ServiceChangeAddress and MgcIdToTry are never both present (H.248.1 §7.2.8).
            address is null ? Maybe(() => MId(allowPort: true), 0.3) : null,
            Maybe(TimeNotation, 0.3),
            Chance(0.3) ? List(1, ExtensionParm, 3) : default,
            V2 ? Maybe(ServiceChangeInfo, 0.2) : null,
            V3 && Chance(0.2),
            method == ServiceChangeMethod.Extension ? Pick("X-abc", "X+q1", "x-ABCDEF") : null);
        return parm;
    }

    private PropertyParm ExtensionParm()
    {
        var p = PropertyParm();
        return p with { Name = new PkgdName(string.Empty, Pick("X-abc", "X+1", "X-Ab12Cd")) };
    }

    /// <summary>
    /// v2 audit items inside Services. The reader refuses a descriptor keyword that appears twice among the
    /// Services items, so each descriptor kind is either a token or one individual audit item.
    /// </summary>
    private AuditDescriptor ServiceChangeInfo()
    {
        var tokens = AuditTokens.None;
        foreach (var token in new[] { AuditTokens.Mux, AuditTokens.Media, AuditTokens.DigitMap, AuditTokens.ObservedEvents, AuditTokens.Packages, AuditTokens.Statistics, AuditTokens.Signals, AuditTokens.EventBuffer, AuditTokens.Events })
        {
            if (Chance(0.2))
            {
                tokens |= token;
            }
        }
        ValueList<IndAuditParameter> parameters = default;
        if (Chance(0.5))
        {
            var parameter = IndAuditParameter();
            if ((tokens & TokenOf(parameter)) == 0)
            {
                parameters = [parameter];
            }
        }
        if (tokens == AuditTokens.None && parameters.IsEmpty)
        {
            tokens = AuditTokens.Media;
        }
        return new AuditDescriptor(tokens, parameters);
    }

    private static AuditTokens TokenOf(IndAuditParameter parameter) => parameter switch
    {
        IndAudMediaDescriptor => AuditTokens.Media,
        IndAudEventsDescriptor => AuditTokens.Events,
        IndAudEventBufferDescriptor => AuditTokens.EventBuffer,
        IndAudSignalsDescriptor => AuditTokens.Signals,
        IndAudDigitMapDescriptor => AuditTokens.DigitMap,
        IndAudStatisticsDescriptor => AuditTokens.Statistics,
        IndAudPackagesDescriptor => AuditTokens.Packages,
        _ => AuditTokens.None,
    };

    private ServiceChangeAddress ServiceChangeAddress() =>
        Chance(0.5) ? new ServiceChangeAddress(Port: UInt16()) : new ServiceChangeAddress(MId(allowPort: true));

    private ServiceChangeProfile Profile() =>
        new(Pick("ResGW", "TestProfile", "pkg_1"), Chance(0.8) ? UInt16() : null);

    private ServiceChangeResParm ServiceChangeResParm()
    {
        while (true)
        {
            var address = Maybe(ServiceChangeAddress, 0.4);
            var result = new ServiceChangeResParm(
                address,
                address is null ? Maybe(() => MId(allowPort: true), 0.4) : null,
                Maybe(Profile, 0.3),
                Chance(0.3) ? (ushort)Int(0, 99) : null,
                Maybe(TimeNotation, 0.3));
            if (!result.IsEmpty)
            {
                return result;
            }
        }
    }

    // ---- descriptors ----

    private MediaDescriptor Media()
    {
        var state = Maybe(TerminationState, 0.4);
        // Either the implied stream's parameters or Stream descriptors (H.248.1 §7.1.1), never both.
        if (Chance(0.5))
        {
            var implied = Chance(0.8) ? StreamParms() : null;
            if (implied is null && state is null)
            {
                state = TerminationState();
            }
            return new MediaDescriptor(state, implied);
        }
        return new MediaDescriptor(state, null, List(1, () => new StreamDescriptor(UInt16(), StreamParms()), 3));
    }

    /// <summary>Never empty: the reader returns null for stream parameters with nothing in them.</summary>
    private StreamParms StreamParms()
    {
        while (true)
        {
            var parms = new StreamParms(
                Maybe(LocalControl, 0.5),
                Maybe(LocalRemote, 0.5),
                Maybe(LocalRemote, 0.5),
                V3 ? Maybe(Statistics, 0.3) : null);
            if (parms != new StreamParms())
            {
                return parms;
            }
        }
    }

    private LocalControlDescriptor LocalControl()
    {
        while (true)
        {
            var lc = new LocalControlDescriptor(
                Chance(0.5) ? Pick(Enum.GetValues<StreamMode>()) : null,
                Chance(0.3) ? Chance(0.5) : null,
                Chance(0.3) ? Chance(0.5) : null,
                Chance(0.5) ? Properties(1) : default);
            if (lc != new LocalControlDescriptor())
            {
                return lc;
            }
        }
    }

    // SDP lines as the reader returns them: no leading blanks, no CR/LF, not blank. Some hold '}' (escaped
    // by the writer), a backslash, '"', tabs, trailing blanks or non-ASCII text.
    private static readonly string[] SdpLines =
    [
        "v=0", "o=- 2890844526 2890842807 IN IP4 192.0.2.10", "s=-", "c=IN IP4 192.0.2.10", "c=IN IP4 $", "t=0 0",
        "m=audio 4444 RTP/AVP 0 8", "m=audio $ RTP/AVP $", "a=rtpmap:0 PCMU/8000", "a=ptime:20",
        "m=message $ TCP/TLS/MSRP *", "a=accept-types:message/cpim text/plain",
        "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:C0:FF:EE:00:11:22:33:44:55:66:77:88:99",
        "a=setup:actpass", "a=path:msrps://192.0.2.10:2855/s111271;tcp", "a=x-json:{\"k\":[1,2]}", "a=odd:}{}",
        "a=tab\there", "a=trailing  ", "a=backslash\\", "a=esc\\}", "s=caf\u00e9", "a=sendrecv", "i=; not a comment",
    ];

    private LocalRemoteDescriptor LocalRemote() =>
        Chance(0.15) ? LocalRemoteDescriptor.Empty : new LocalRemoteDescriptor(List(1, () => new SdpLine(Pick(SdpLines)), 6));

    private TerminationStateDescriptor TerminationState()
    {
        while (true)
        {
            var state = new TerminationStateDescriptor(
                Chance(0.5) ? Pick(Enum.GetValues<ServiceState>()) : null,
                Chance(0.4) ? Pick(EventBufferControl.Off, EventBufferControl.LockStep) : null,
                Chance(0.5) ? Properties(1) : default);
            if (state != new TerminationStateDescriptor())
            {
                return state;
            }
        }
    }

    private ModemDescriptor Modem()
    {
        var isList = Chance(0.5);
        var types = isList ? List(1, ModemType, 3) : [ModemType()];
        return new ModemDescriptor(types, Chance(0.5) ? Properties(1) : default, isList);
    }

    private string ModemType() => Pick("V18", "V22", "V22b", "V32", "V32b", "V34", "V90", "V91", "Synch");

    private MuxDescriptor Mux() => new(Pick("H221", "H223", "H226", "V76", "Nx64K"), List(1, TerminationId));

    private StatisticsDescriptor Statistics() =>
        Chance(0.3) ? StatisticsDescriptor.Empty : new StatisticsDescriptor(List(1, StatisticsParameter));

    private StatisticsParameter StatisticsParameter() =>
        new(PkgdName(), Chance(0.4) ? null : List(1, Value, 3));

    private PackagesDescriptor Packages() => new(List(1, PackageItem));

    private PackageItem PackageItem() => new(Pick("g", "root", "tonegen", "al", "nt-x", "rtp"), UInt16());

    private DigitMapDescriptor DigitMap() => Int(0, 2) switch
    {
        0 => new DigitMapDescriptor(DigitMapName()),
        1 => new DigitMapDescriptor(null, DigitMapValue()),
        _ => new DigitMapDescriptor(DigitMapName(), DigitMapValue()),
    };

    private string DigitMapName() => Pick("dialplan0", "dm1", "map_x");

    // The body starts with a non-blank character and ends with one (the reader keeps trailing blanks only
    // because it cannot tell them from layout; the writer may lay out the closing brace on its own line).
    private DigitMapValue DigitMapValue() => new(
        Pick("(0s|00s|[1-7]xxx|8xxxxxxx|#xxxxxxx|*xx|9l1xxxxxxxxxx|9011x.)", "xxxx", "[0-9#*].", "(1xx|2xx)", "x.T", "Z1xx"),
        Chance(0.3) ? (ushort)Int(0, 99) : null,
        Chance(0.3) ? (ushort)Int(0, 99) : null,
        Chance(0.3) ? (ushort)Int(0, 99) : null,
        V3 && Chance(0.3) ? (ushort)Int(0, 99) : null);

    // ---- events and signals ----

    /// <summary>
    /// <paramref name="depth"/> 0 is a top-level Events descriptor; 1 is an embedded (second) one, whose
    /// events embed nothing further (secondRequestedEvent has no embedded events).
    /// </summary>
    private EventsDescriptor Events(int depth) =>
        Chance(0.2) ? EventsDescriptor.Empty : new EventsDescriptor(RequestId(), List(1, () => RequestedEvent(depth), 3));

    private RequestedEvent RequestedEvent(int depth)
    {
        if (Chance(0.3))
        {
            return new RequestedEvent(PkgdName());
        }
        SignalsDescriptor? embeddedSignals = null;
        EventsDescriptor? embeddedEvents = null;
        if (depth == 0 && Chance(0.3))
        {
            embeddedSignals = Maybe(Signals, 0.6);
            embeddedEvents = embeddedSignals is null || Chance(0.5) ? Events(depth + 1) : null;
        }
        NotifyBehaviour? notify = null;
        if (V3 && Chance(0.3))
        {
            var kind = Pick(Enum.GetValues<NotifyBehaviourKind>());
            notify = new NotifyBehaviour(kind);
            if (kind == NotifyBehaviourKind.Regulated && depth == 0 && Chance(0.5))
            {
                var signals = Maybe(Signals, 0.6);
                notify = notify with { EmbeddedSignals = signals, EmbeddedEvents = signals is null || Chance(0.5) ? Events(depth + 1) : null };
            }
        }
        return new RequestedEvent(
            PkgdName(),
            MaybeValue(UInt16, 0.3),
            Chance(0.3),
            embeddedSignals,
            embeddedEvents,
            Chance(0.2) ? (Chance(0.5) ? new DigitMapDescriptor(DigitMapName()) : new DigitMapDescriptor(null, DigitMapValue())) : null,
            notify,
            V3 && Chance(0.2),
            Chance(0.4) ? Properties(1) : default);
    }

    private SignalsDescriptor Signals() =>
        Chance(0.25) ? SignalsDescriptor.Empty : new SignalsDescriptor(List(1, SignalItem, 3));

    private SignalItem SignalItem() =>
        Chance(0.2) ? new SignalList(UInt16(), List(1, SignalRequest, 3)) : SignalRequest();

    private SignalRequest SignalRequest()
    {
        var name = PkgdName();
        if (Chance(0.3))
        {
            return new SignalRequest(name);
        }
        var reasons = V3
            ? Enum.GetValues<NotifyCompletionReason>()
            : [NotifyCompletionReason.TimeOut, NotifyCompletionReason.InterruptedByEvent, NotifyCompletionReason.InterruptedByNewSignalsDescriptor, NotifyCompletionReason.OtherReason];
        return new SignalRequest(
            name,
            MaybeValue(UInt16, 0.3),
            Chance(0.3) ? Pick(Enum.GetValues<SignalType>()) : null,
            MaybeValue(UInt16, 0.3),
            Chance(0.3) ? List(1, () => Pick(reasons), 3) : null,
            Chance(0.3),
            V3 && Chance(0.3) ? Pick(Enum.GetValues<SignalDirection>()) : null,
            V3 && Chance(0.3) ? RequestId() : null,
            V3 && Chance(0.3) ? UInt16() : null,
            Chance(0.4) ? Properties(1) : default);
    }

    private ObservedEventsDescriptor ObservedEvents() => new(RequestId(), List(1, () => ObservedEvent(allowTimestamp: true)));

    private ObservedEvent ObservedEvent(bool allowTimestamp) => new(
        PkgdName(),
        allowTimestamp ? Maybe(TimeNotation, 0.5) : null,
        MaybeValue(UInt16, 0.3),
        Chance(0.5) ? Properties(1) : default);

    // eventSpec = pkgdName [LBRKT eventSpecParameter *(COMMA eventSpecParameter) RBRKT]: no time stamp.
    private EventBufferDescriptor EventBuffer() =>
        new(Chance(0.3) ? ValueList<ObservedEvent>.Empty : List(1, () => ObservedEvent(allowTimestamp: false)));

    // ---- audit ----

    /// <summary>Audit tokens and, from v2, individual audit items; <see cref="AuditDescriptor.Empty"/> often.</summary>
    private AuditDescriptor Audit()
    {
        if (Chance(0.3))
        {
            return AuditDescriptor.Empty;
        }
        var tokens = AuditTokens.None;
        foreach (var token in Enum.GetValues<AuditTokens>())
        {
            if (token != AuditTokens.None && (token != AuditTokens.Modem || _version == 1) && Chance(0.25))
            {
                tokens |= token;
            }
        }
        var parameters = V2 && Chance(0.5) ? List(1, IndAuditParameter, 3) : default;
        return tokens == AuditTokens.None && parameters.IsEmpty ? AuditDescriptor.Empty : new AuditDescriptor(tokens, parameters);
    }

    private IndAuditParameter IndAuditParameter() => Int(0, 6) switch
    {
        0 => IndAudMedia(),
        1 => new IndAudEventsDescriptor(PkgdName(), Chance(0.5) ? RequestId() : null),
        2 => Chance(0.5)
            ? new IndAudEventBufferDescriptor(PkgdName(), MaybeValue(UInt16, 0.6))
            : new IndAudEventBufferDescriptor(PkgdName(), null, Pick(BareNames)),
        3 => IndAudSignals(),
        4 => new IndAudDigitMapDescriptor(DigitMapName()),
        5 => new IndAudStatisticsDescriptor(PkgdName()),
        _ => new IndAudPackagesDescriptor(PackageItem()),
    };

    private IndAudSignalsDescriptor IndAudSignals() => Int(0, 2) switch
    {
        0 => new IndAudSignalsDescriptor(),
        1 => new IndAudSignalsDescriptor(SignalRequest()),
        _ => new IndAudSignalsDescriptor(new SignalList(UInt16(), Chance(0.5) ? [SignalRequest()] : default)),
    };

    private IndAudMediaDescriptor IndAudMedia()
    {
        var state = Maybe(IndAudTerminationState, 0.4);
        if (Chance(0.5))
        {
            var implied = Chance(0.8) || state is null ? IndAudStreamParms() : null;
            return new IndAudMediaDescriptor(state, implied);
        }
        return new IndAudMediaDescriptor(state, null, List(1, () => new IndAudStreamDescriptor(UInt16(), IndAudStreamParms()), 3));
    }

    private IndAudStreamParms IndAudStreamParms()
    {
        while (true)
        {
            var parms = new IndAudStreamParms(
                Maybe(IndAudLocalControl, 0.6),
                V3 && Chance(0.3),
                V3 && Chance(0.3),
                V3 ? Maybe(() => PkgdName(), 0.3) : null);
            if (parms != new IndAudStreamParms())
            {
                return parms;
            }
        }
    }

    private IndAudLocalControlDescriptor IndAudLocalControl()
    {
        while (true)
        {
            var mode = Chance(0.5);
            StreamMode? select = mode && V3 && Chance(0.5) ? Pick(Enum.GetValues<StreamMode>()) : null;
            var lc = new IndAudLocalControlDescriptor(
                mode, select, select is not null && Chance(0.5), Chance(0.3), Chance(0.3),
                Chance(0.4) ? List(1, IndAudPropertyParm, 3) : default);
            if (lc != new IndAudLocalControlDescriptor())
            {
                return lc;
            }
        }
    }

    private IndAudTerminationStateDescriptor IndAudTerminationState()
    {
        while (true)
        {
            var states = Chance(0.5);
            ServiceState? select = states && V3 && Chance(0.5) ? Pick(Enum.GetValues<ServiceState>()) : null;
            var state = new IndAudTerminationStateDescriptor(
                states, select, select is not null && Chance(0.5), Chance(0.3),
                Chance(0.4) ? List(1, IndAudPropertyParm, 3) : default);
            if (state != new IndAudTerminationStateDescriptor())
            {
                return state;
            }
        }
    }

    private IndAudPropertyParm IndAudPropertyParm()
    {
        // A bare name followed by nothing must not be a keyword of the same list; packaged names are safe.
        var name = PkgdName(allowBare: false);
        return V3 && Chance(0.4) ? new IndAudPropertyParm(name, PropertyParm() with { Name = name }) : new IndAudPropertyParm(name);
    }
}
