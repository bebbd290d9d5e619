using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

public sealed class WriterTests
{
    private static readonly TerminationId T1 = new("t1");

    private static MegacoMessage Request(int version, MId mid, params CommandRequest[] commands) =>
        new(version, mid, [new TransactionRequest(1, [new ActionRequest(ContextId.Null, new ValueList<CommandRequest>(commands))])]);

    private static CommandRequest Modify(params Descriptor[] descriptors) =>
        new(new AmmRequest(AmmKind.Modify, [T1], new ValueList<Descriptor>(descriptors)));

    private static CommandRequest ModifyMode(StreamMode mode) =>
        Modify(new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(mode))));

    private static string Compact(MegacoMessage message) => MegacoTextWriter.ToText(message, TextStyle.Compact);

    private static string Pretty(MegacoMessage message) => MegacoTextWriter.ToText(message, TextStyle.Pretty);

    [Fact]
    public void Compact_message_has_short_tokens_and_no_optional_white_space()
    {
        var message = Request(3, MId.Domain("mg1"), ModifyMode(StreamMode.SendReceive));
        Assert.Equal("!/3 <mg1>\nT=1{C=-{MF=t1{M{O{MO=SR}}}}}", Compact(message));
    }

    [Fact]
    public void Pretty_message_has_long_tokens_and_tab_indentation()
    {
        var message = Request(3, MId.IPv4("127.0.0.1", 2944), ModifyMode(StreamMode.SendReceive));
        Assert.Equal(
            "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n\tContext = - {\n\t\tModify = t1 {\n\t\t\tMedia {\n"
            + "\t\t\t\tLocalControl {\n\t\t\t\t\tMode = SendReceive\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}",
            Pretty(message));
    }

    [Theory]
    [InlineData(MIdKind.IPv4, "10.0.0.1", null, "[10.0.0.1]")]
    [InlineData(MIdKind.IPv4, "10.0.0.1", (ushort)2944, "[10.0.0.1]:2944")]
    [InlineData(MIdKind.IPv6, "2001:db8::1", null, "[2001:db8::1]")]
    [InlineData(MIdKind.IPv6, "2001:db8::1", (ushort)2945, "[2001:db8::1]:2945")]
    [InlineData(MIdKind.DomainName, "mgc.example.net", null, "<mgc.example.net>")]
    [InlineData(MIdKind.DomainName, "mgc.example.net", (ushort)2944, "<mgc.example.net>:2944")]
    [InlineData(MIdKind.DeviceName, "mg/dev1", null, "mg/dev1")]
    [InlineData(MIdKind.MtpAddress, "0A1B", null, "MTP{0A1B}")]
    public void Header_writes_each_mid_form(MIdKind kind, string address, ushort? port, string expected)
    {
        var message = new MegacoMessage(2, new MId(kind, address, port), [new TransactionPending(7)]);
        Assert.Equal($"!/2 {expected}\nPN=7{{}}", Compact(message));
        Assert.StartsWith($"MEGACO/2 {expected}\n", Pretty(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Authentication_header_comes_before_the_version()
    {
        var message = new MegacoMessage(1, MId.Domain("mg"), [new TransactionPending(1)],
            Authentication: new AuthenticationHeader(0x1234, 0xAB, "00112233445566778899AABB"));
        Assert.Equal("AU=0x00001234:0x000000ab:0x00112233445566778899AABB\n!/1 <mg>\nPN=1{}", Compact(message));
        Assert.StartsWith("Authentication = 0x00001234:0x000000ab:0x00112233445566778899AABB\nMEGACO/1 <mg>\n", Pretty(message), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("g165", "g165")]
    [InlineData("0.2", "0.2")]
    [InlineData("a/b", "a/b")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("a:b", "\"a:b\"")]
    [InlineData("x,y", "\"x,y\"")]
    [InlineData("", "\"\"")]
    [InlineData("Media", "\"Media\"")]
    [InlineData("M", "\"M\"")]
    [InlineData("on", "on")]
    [InlineData("b", "b")]
    public void Values_are_bare_only_when_all_safe_chars(string value, string expected)
    {
        var message = Request(3, MId.Domain("mg"),
            Modify(new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(Properties: [PropertyParm.Of("p", "v", value)])))));
        Assert.Contains("{p/v=" + expected + "}", Compact(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Value_with_a_double_quote_is_refused()
    {
        var message = Request(3, MId.Domain("mg"),
            Modify(new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(Properties: [PropertyParm.Of("p", "v", "a\"b")])))));
        Assert.Throws<ArgumentException>(() => Compact(message));
    }

    [Fact]
    public void Property_relations_use_their_own_syntax()
    {
        var name = new PkgdName("p", "v");
        var message = Request(3, MId.Domain("mg"), Modify(new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(Properties:
        [
            new PropertyParm(name, ["1"], ParmRelation.NotEqual),
            new PropertyParm(name, ["2"], ParmRelation.GreaterThan),
            new PropertyParm(name, ["3"], ParmRelation.LessThan),
            new PropertyParm(name, ["1", "9"], ParmRelation.Range),
            new PropertyParm(name, ["a", "b"], ParmRelation.All),
            new PropertyParm(name, ["a", "b"], ParmRelation.Alternatives),
        ])))));
        Assert.Contains("O{p/v#1,p/v>2,p/v<3,p/v=[1:9],p/v=[a,b],p/v={a,b}}", Compact(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Sdp_closing_brace_starts_its_line_in_both_styles()
    {
        var sdp = LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\na=x:{y}\n");
        var message = Request(3, MId.Domain("mg"), Modify(new MediaDescriptor(Stream: new StreamParms(Local: sdp, Remote: LocalRemoteDescriptor.Empty))));

        var compact = Compact(message);
        Assert.Contains("M{L{\nv=0\r\nc=IN IP4 $\r\nm=audio $ RTP/AVP 0\r\na=x:{y\\}\r\n},R{\n}}", compact, StringComparison.Ordinal);

        var pretty = Pretty(message);
        Assert.Contains("Local {\nv=0\r\n", pretty, StringComparison.Ordinal);
        Assert.Contains("a=x:{y\\}\r\n},\n", pretty, StringComparison.Ordinal);
        Assert.Contains("Remote {\n}\n", pretty, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_descriptors_stay_distinct_from_absent_ones()
    {
        var message = Request(3, MId.Domain("mg"),
            Modify(EventsDescriptor.Empty, SignalsDescriptor.Empty, new EventBufferDescriptor([]), StatisticsDescriptor.Empty, AuditDescriptor.Empty));
        Assert.Contains("MF=t1{E,SG,EB,SA,AT{}}", Compact(message), StringComparison.Ordinal);
        Assert.Contains("Events,\n\t\t\tSignals,\n\t\t\tEventBuffer,\n\t\t\tStatistics,\n\t\t\tAudit { }", Pretty(message), StringComparison.Ordinal);
        Assert.Contains("MF=t1}", Compact(Request(3, MId.Domain("mg"), Modify())), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_descriptor_with_and_without_text()
    {
        Assert.Equal("!/1 <mg>\nER=400{}", Compact(MegacoMessage.WithError(1, MId.Domain("mg"), new ErrorDescriptor(400))));
        Assert.Equal("MEGACO/1 <mg>\nError = 400 {\"Syntax error\"}", Pretty(MegacoMessage.WithError(1, MId.Domain("mg"), new ErrorDescriptor(400, "Syntax error"))));
    }

    [Fact]
    public void Every_transaction_kind_is_written()
    {
        var message = new MegacoMessage(3, MId.Domain("mg"),
        [
            new TransactionRequest(1, [new ActionRequest(new ContextId(5), [ModifyMode(StreamMode.Inactive)])]),
            new TransactionReply(2, [new ActionReply(new ContextId(5), []), new ActionReply(ContextId.Choose, [new AmmsReply(AmmsKind.Add, [T1])])], ImmAckRequired: true),
            new TransactionReply(3, [], new ErrorDescriptor(400, "Syntax error")),
            new TransactionReply(4, [new ActionReply(ContextId.All, [new NotifyReply([T1])])], SegmentNumber: 2, SegmentationComplete: true),
            new TransactionPending(5),
            new TransactionResponseAck([TransactionAckRange.Single(1), new TransactionAckRange(3, 5)]),
            new SegmentReply(4, 1),
            new SegmentReply(4, 2, SegmentationComplete: true),
        ]);
        Assert.Equal(
            "!/3 <mg>\nT=1{C=5{MF=t1{M{O{MO=IN}}}}}P=2{IA,C=5,C=${A=t1}}P=3{ER=400{\"Syntax error\"}}P=4/2/&{C=*{N=t1}}"
            + "PN=5{}K{1,3-5}SM=4/1\nSM=4/2/&",
            Compact(message));
        var pretty = Pretty(message);
        Assert.Contains("Reply = 2 {\n\tImmAckRequired,\n\tContext = 5,\n\tContext = $ {\n\t\tAdd = t1\n\t}\n}", pretty, StringComparison.Ordinal);
        Assert.Contains("Reply = 4/2/END {", pretty, StringComparison.Ordinal);
        Assert.Contains("Pending = 5 { }\nTransactionResponseAck {\n\t1,\n\t3-5\n}\nSegment = 4/1\nSegment = 4/2/END", pretty, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_audit_result_and_termination_id_lists()
    {
        var message = new MegacoMessage(3, MId.Domain("mg"),
        [
            new TransactionReply(9, [new ActionReply(new ContextId(1),
            [
                new AuditReply(AuditKind.Value, [T1, new TerminationId("t2")], IsContextAuditResult: true),
                new AmmsReply(AmmsKind.Subtract, [T1, new TerminationId("t2")]),
            ])]),
        ]);
        Assert.Equal("!/3 <mg>\nP=9{C=1{AV=C{t1,t2},S=[t1,t2]}}", Compact(message));
    }

    [Fact]
    public void V3_signal_and_event_parameters()
    {
        var message = Request(3, MId.Domain("mg"), Modify(
            new EventsDescriptor(7, [new RequestedEvent(new PkgdName("al", "of"), NotifyBehaviour: new NotifyBehaviour(NotifyBehaviourKind.Never), ResetEventsDescriptor: true)]),
            new SignalsDescriptor([new SignalRequest(new PkgdName("cg", "rt"), Type: SignalType.Brief, Direction: SignalDirection.External, RequestId: 3, IntersignalDelay: 10)]),
            new DigitMapDescriptor(null, new DigitMapValue("(0s|[1-7]xxx)", 10, 5, 20, 1))));
        Assert.Contains("E=7{al/of{NBNN,RSE}},SG{cg/rt{SY=BR,SPADI=EX,SPARQ=3,SPAIS=10}},DM={T:10,S:5,L:20,Z:1,(0s|[1-7]xxx)}", Compact(message), StringComparison.Ordinal);
    }

    public static TheoryData<CommandRequest> V3OnlyCommands => new()
    {
        new CommandRequest(new AmmRequest(AmmKind.Add, [T1], []), Optional: true),
        new CommandRequest(new SubtractRequest([T1, new TerminationId("t2")])),
        Modify(new SignalsDescriptor([new SignalRequest(new PkgdName("cg", "rt"), Direction: SignalDirection.Both)])),
        Modify(new EventsDescriptor(1, [new RequestedEvent(new PkgdName("al", "of"), ResetEventsDescriptor: true)])),
        Modify(new DigitMapDescriptor(null, new DigitMapValue("x", DurationTimer: 1))),
        Modify(new MediaDescriptor(Stream: new StreamParms(Statistics: StatisticsDescriptor.Empty))),
        Modify(new AuditDescriptor(Parameters: [new IndAudPackagesDescriptor(new PackageItem("nt", 1))])),
        new CommandRequest(new ServiceChangeRequest([TerminationId.Root], new ServiceChangeParm(ServiceChangeMethod.Restart, Incomplete: true))),
    };

    [Theory]
    [MemberData(nameof(V3OnlyCommands))]
    public void V1_refuses_later_constructs(CommandRequest command)
    {
        var v1 = Request(1, MId.Domain("mg"), command);
        var error = Assert.Throws<ArgumentException>(() => Compact(v1));
        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        Compact(v1 with { Version = 3 });
    }

    [Fact]
    public void V1_refuses_segments_and_context_attributes_and_v3_refuses_modem()
    {
        Assert.Throws<ArgumentException>(() => Compact(new MegacoMessage(1, MId.Domain("mg"), [new SegmentReply(1, 1)])));
        var ieps = new MegacoMessage(2, MId.Domain("mg"), [new TransactionRequest(1, [new ActionRequest(ContextId.Choose, [ModifyMode(StreamMode.Inactive)], new ContextRequest(IepsCall: true))])]);
        Assert.Throws<ArgumentException>(() => Compact(ieps));
        var modem = Request(3, MId.Domain("mg"), Modify(new ModemDescriptor(["V18"])));
        Assert.Throws<ArgumentException>(() => Compact(modem));
        Assert.Contains("MD=V18", Compact(modem with { Version = 1 }), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_version_is_out_of_range()
    {
        var message = new MegacoMessage(4, MId.Domain("mg"), [new TransactionPending(1)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Compact(message));
    }

    [Fact]
    public void Service_change_parameters()
    {
        var message = Request(3, MId.Domain("mg"), new CommandRequest(new ServiceChangeRequest([TerminationId.Root],
            new ServiceChangeParm(ServiceChangeMethod.Restart, "901 Cold Boot", 10, new ServiceChangeAddress(Port: 2944),
                new ServiceChangeProfile("resgw", 1), 3, null, new TimeNotation("20240101", "10203040"), [PropertyParm.Of("", "X-foo", "1")],
                new AuditDescriptor(AuditTokens.Media), true))));
        Assert.Contains("SC=ROOT{SV{MT=RS,AD=2944,V=3,PF=resgw/1,RE=\"901 Cold Boot\",DL=10,20240101T10203040,X-foo=1,M,SIC}}", Compact(message), StringComparison.Ordinal);
    }
}
