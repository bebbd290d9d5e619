using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// The edges of the grammar where reader and writer must agree: what Annex B allows round-trips,
/// and what it does not allow is refused by the reader (so the writer never has to express it).
/// </summary>
public sealed class GrammarEdgeTests
{
    private static readonly MId Mid = MId.IPv4("192.0.2.1");

    private static void AssertRoundTrips(MegacoMessage model)
    {
        foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
        {
            Assert.Null(RoundTripPropertyTests.CheckRoundTrip(model, style));
        }
    }

    // ErrorCode = 1*4(DIGIT).
    [Fact]
    public void Four_digit_error_code() =>
        AssertRoundTrips(MegacoMessage.WithError(1, Mid, new ErrorDescriptor(1234)));

    // v3 topologyTriple with a direction extension beside Oneway (Annex A TopologyRequest.topologyDirectionExtension).
    [Fact]
    public void Topology_direction_extension() =>
        AssertRoundTrips(new MegacoMessage(3, Mid, [new TransactionRequest(1, [new ActionRequest(new ContextId(7), [],
            new ContextRequest([new TopologyTriple(new TerminationId("a"), new TerminationId("b"), TopologyDirection.Oneway, null, TopologyDirection.OnewayBoth)]))])]));

    // Compact once wrote "SM=1/1P=2{}" (nothing after a brace-less Segment reply).
    [Fact]
    public void Segment_reply_followed_by_a_transaction() =>
        AssertRoundTrips(new MegacoMessage(3, Mid, [new SegmentReply(1, 1), new TransactionPending(2)]));

    /// <summary>Texts that look plausible but that Annex B (or Annex A's structure) does not allow.</summary>
    [Theory]
    // localControlDescriptor, terminationStateDescriptor, mediaDescriptor and streamDescriptor hold at least one item.
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{M{O{}}}}}", "localParm")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{M{TS{}}}}}", "terminationStateParm")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{M{}}}}", "mediaParm")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{M{ST=1{}}}}}", "streamParm")]
    // Annex A MediaDescriptor.streams is a CHOICE: one implied stream or Stream descriptors, not both.
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{M{L{\nv=0\n},ST=1{R{\nv=0\n}}}}}}", "mediaDescriptor")]
    // transactionReply needs a result after "ImmAckRequired ,".
    [InlineData("!/1 [1.2.3.4] P=1{IA}", "COMMA")]
    // serviceChangeReplyDescriptor holds at least one servChgReplyParm.
    [InlineData("!/1 [1.2.3.4] P=1{C=-{SC=ROOT{SV{}}}}", "servChgReplyParm")]
    // eventSpec = pkgdName [LBRKT eventSpecParameter ... RBRKT]: no time stamp in an EventBuffer.
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{EB{20240101T12345678:g/x}}}}", "eventSpec")]
    // quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE: printable ASCII only.
    [InlineData("!/1 [1.2.3.4] P=1{ER=500{\"caf\u00e9\"}}", "quotedString")]
    [InlineData("!/1 [1.2.3.4] P=1{ER=500{\"a\u007fb\"}}", "quotedString")]
    // indAudrequestedEvent = pkgdName: an audited event has no stream in text.
    [InlineData("!/2 [1.2.3.4] T=1{C=7{AV=t1{AT{E{g/x{ST=1}}}}}}", "RBRKT")]
    public void Refuses(string text, string expected)
    {
        var error = MegacoTextReader.Default.Read(text).FirstError;
        Assert.NotNull(error);
        Assert.Equal(expected, error.Expected);
        Assert.Contains(error.Code, new[] { H248ErrorCode.SyntaxErrorInMessage, H248ErrorCode.SyntaxErrorInTransactionRequest });
    }

    /// <summary>
    /// Each version has its own grammar (as Erlang/OTP megaco has one parser per version): a construct
    /// added later is refused in an older message, so the writer is never handed one it cannot write.
    /// </summary>
    [Theory]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{EGO,MF=t1}}", "contextProperty")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{IEPS=ON,MF=t1}}", "contextProperty")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{CT{g/a=1},MF=t1}}", "contextProperty")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{TP{a,b,OW,OWB},MF=t1}}", "topologyTriple")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{TP{a,b,OW,ST=2},MF=t1}}", "topologyTriple")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=[t1,t2]}}", "termIDList")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=t1{M{ST=1{SA{nt/os}}}}}}", "streamParm")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=t1{SA{nt/os}}}}", "ammParameter")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{MF=t1{DM=d{Z:3,(xx)}}}}", "digitMapValue")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=t1{E=1{al/on{NBNN}}}}}", "eventParameter")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=t1{SG{cg/rt{SPADI=EX}}}}}", "sigParameter")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{MF=t1{SG{cg/rt{NC={IR}}}}}}", "notificationReason")]
    [InlineData("!/1 [1.2.3.4] T=1{C=7{AV=t1{AT{M{O{MO}}}}}}", "auditItem")]
    [InlineData("!/2 [1.2.3.4] T=1{C=7{AV=t1{AT{M{O{MO=SR}}}}}}", "indAudlocalParm")]
    [InlineData("!/2 [1.2.3.4] T=1{C=-{SC=ROOT{SV{MT=RS,RE=901,SIC}}}}", "serviceChangeParm")]
    [InlineData("!/1 [1.2.3.4] T=1{C=-{SC=ROOT{SV{MT=RS,RE=901,PG}}}}", "serviceChangeParm")]
    [InlineData("!/2 [1.2.3.4] T=1{C=*{CA{IEPS}}}", "contextAuditProperties")]
    [InlineData("!/2 [1.2.3.4] P=1/1{C=-}", "TransactionID")]
    [InlineData("!/2 [1.2.3.4] SM=1/1", "transactionList")]
    public void RefusesWhatTheMessagesVersionLacks(string text, string expected)
    {
        var error = MegacoTextReader.Default.Read(text).FirstError;
        Assert.NotNull(error);
        Assert.Equal(expected, error.Expected);
        Assert.Contains("is not in the grammar of H.248 version", error.Reason, StringComparison.Ordinal);
        // The same construct in version 3 is read.
        var v3 = text.Replace("!/1 ", "!/3 ", StringComparison.Ordinal).Replace("!/2 ", "!/3 ", StringComparison.Ordinal);
        Assert.True(MegacoTextReader.Default.Read(v3).IsSuccess, $"{v3}: {MegacoTextReader.Default.Read(v3).FirstError}");
    }
}
