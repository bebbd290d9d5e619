using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// Minimal models the reader returns (from valid text) that the writer cannot yet write back; each is
/// turned off in <see cref="RoundTripPropertyTests.Options"/> or kept out of the generator. Skipped until the
/// writer (branch <c>writer</c>) is fixed; then remove the Skip and the option.
/// </summary>
public sealed class WriterGapTests
{
    private static readonly MId Mid = MId.IPv4("192.0.2.1");

    private static MegacoMessage Modify(int version, params Descriptor[] descriptors) =>
        new(version, Mid, [new TransactionRequest(1, [new ActionRequest(new ContextId(7),
            [new CommandRequest(new AmmRequest(AmmKind.Modify, [new TerminationId("t1")], new ValueList<Descriptor>(descriptors)))])])]);

    private static void AssertRoundTrips(MegacoMessage model)
    {
        foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
        {
            Assert.Null(RoundTripPropertyTests.CheckRoundTrip(model, style));
        }
    }

    // ErrorCode = 1*4(DIGIT) (H.248.1 Annex B); the writer refuses codes above 999.
    [Fact(Skip = "Writer bug: refuses error codes above 999")]
    public void Four_digit_error_code() =>
        AssertRoundTrips(MegacoMessage.WithError(1, Mid, new ErrorDescriptor(1234)));

    // v3 topologyTriple [COMMA topologyDirectionExtension]: the writer drops TopologyTriple.Extension.
    [Fact(Skip = "Writer bug: drops TopologyTriple.Extension")]
    public void Topology_direction_extension() =>
        AssertRoundTrips(new MegacoMessage(3, Mid, [new TransactionRequest(1, [new ActionRequest(new ContextId(7), [],
            new ContextRequest([new TopologyTriple(new TerminationId("a"), new TerminationId("b"), TopologyDirection.Oneway, null, TopologyDirection.OnewayBoth)]))])]));

    // Compact wrote "SM=1/1P=2{}" (nothing after a brace-less Segment reply); fixed on the writer branch, kept as a regression test.
    [Fact]
    public void Segment_reply_followed_by_a_transaction() =>
        AssertRoundTrips(new MegacoMessage(3, Mid, [new SegmentReply(1, 1), new TransactionPending(2)]));

    // The reader accepts "LocalControl { }" (Erlang/OTP megaco writes it for an audit); the writer refuses it.
    [Fact(Skip = "Writer refuses an empty LocalControl the reader accepts")]
    public void Empty_local_control() =>
        AssertRoundTrips(Modify(1, new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor()))));

    // The reader keeps "Stream = 1 { }" as a StreamDescriptor with empty StreamParms; the writer refuses it.
    [Fact(Skip = "Writer refuses an empty Stream descriptor the reader keeps")]
    public void Empty_stream_descriptor() =>
        AssertRoundTrips(Modify(1, new MediaDescriptor(Streams: [new StreamDescriptor(1, new StreamParms())])));

    // The reader accepts "Media { }" and "TerminationState { }".
    [Fact(Skip = "Writer refuses empty Media/TerminationState the reader accepts")]
    public void Empty_media_and_termination_state() =>
        AssertRoundTrips(Modify(1, new MediaDescriptor(), new MediaDescriptor(new TerminationStateDescriptor())));

    // The reader accepts a reply holding only ImmAckRequired (as Erlang/OTP megaco does).
    [Fact(Skip = "Writer refuses a reply the reader accepts")]
    public void Reply_with_only_ImmAckRequired() =>
        AssertRoundTrips(new MegacoMessage(1, Mid, [new TransactionReply(1, ValueList<ActionReply>.Empty, null, true)]));

    // The reader accepts "Services { }" in a ServiceChange reply.
    [Fact(Skip = "Writer drops an empty Services descriptor the reader keeps")]
    public void Empty_service_change_reply_descriptor() =>
        AssertRoundTrips(new MegacoMessage(1, Mid, [new TransactionReply(1, [new ActionReply(ContextId.Null,
            [new ServiceChangeReply([TerminationId.Root], new ServiceChangeResParm())])])]));

    // The reader accepts a time stamp on an EventBuffer eventSpec, though Annex B's eventSpec has none.
    [Fact(Skip = "Writer refuses an EventBuffer time stamp the reader accepts")]
    public void Event_buffer_event_with_time_stamp() =>
        AssertRoundTrips(Modify(1, new EventBufferDescriptor([new ObservedEvent(new PkgdName("g", "x"), new TimeNotation("20240101", "12345678"))])));

    // The reader accepts implied-stream parameters beside Stream descriptors in one Media descriptor.
    [Fact(Skip = "Writer refuses a mixed Media descriptor the reader accepts")]
    public void Media_with_implied_stream_and_stream_descriptors() =>
        AssertRoundTrips(Modify(1, new MediaDescriptor(null, new StreamParms(Local: LocalRemoteDescriptor.Empty),
            [new StreamDescriptor(1, new StreamParms(Remote: LocalRemoteDescriptor.Empty))])));

    // The reader takes "Audit { Events { g/x { Stream = 1 } } }"; the writer refuses it (Annex B has no stream there).
    [Fact(Skip = "Writer refuses a stream in an audited Events item the reader accepts")]
    public void Audited_events_with_stream() =>
        AssertRoundTrips(new MegacoMessage(2, Mid, [new TransactionRequest(1, [new ActionRequest(new ContextId(7),
            [new CommandRequest(new AuditRequest(AuditKind.Value, [new TerminationId("t1")],
                new AuditDescriptor(AuditTokens.None, [new IndAudEventsDescriptor(new PkgdName("g", "x"), null, 1)])))])])]));
}
