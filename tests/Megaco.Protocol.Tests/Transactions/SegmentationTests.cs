using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>v3 segmented replies (H.248.1 v3 Annex B <c>Reply = id / segmentNumber [/ END]</c>) over a small PDU size.</summary>
public sealed class SegmentationTests
{
    private const int MaxPdu = 600;

    private static readonly MId Mid = MId.IPv4("127.0.0.1", 2944);

    private static ValueList<ActionRequest> ManyActions(int count, int offset = 0) =>
        new([.. Enumerable.Range(offset, count).Select(i => RecordingUser.Subtract(i)[0])]);

    private static TransactionReply ReplyTo(uint id, int count) =>
        new(id, new ValueList<ActionReply>([.. Enumerable.Range(0, count).Select(i =>
            new ActionReply(new ContextId(1), [new AmmsReply(AmmsKind.Subtract, [new TerminationId($"rtp/{i}")])]))]));

    private static byte[] Encode(TransactionReply reply) => MegacoTextWriter.ToBytes(new MegacoMessage(3, Mid, [reply]), TextStyle.Pretty);

    [Fact]
    public void SplitsIntoNumberedSegmentsWithinThePduSize()
    {
        var reply = ReplyTo(5, 40);

        var segments = ReplySegmenter.Split(reply, MaxPdu, Encode)!;

        Assert.True(segments.Length > 1);
        Assert.All(segments, s => Assert.True(s.Length <= MaxPdu));
        var read = segments.Select(s => Assert.IsType<TransactionReply>(MegacoTextReader.Default.Read(s).Message!.Transactions[0])).ToArray();
        Assert.Equal(Enumerable.Range(1, segments.Length).Select(n => (ushort?)n), read.Select(r => r.SegmentNumber));
        Assert.Equal(Enumerable.Range(1, segments.Length).Select(n => n == segments.Length), read.Select(r => r.SegmentationComplete));
        Assert.Equal(reply.Actions, read.SelectMany(r => r.Actions));
    }

    [Fact]
    public void CannotSplitAnErrorOrAnActionTooLargeAlone()
    {
        Assert.Null(ReplySegmenter.Split(ErrorReplies.Reply(1, H248ErrorCode.InternalSoftwareFailure, new string('x', 900)), MaxPdu, Encode));
        Assert.Null(ReplySegmenter.Split(ReplyTo(1, 40), 60, Encode));
    }

    [Fact]
    public async Task LargeV3ReplyGoesInSegmentsAndADuplicateGetsThemAll()
    {
        var transport = new FakeTransport(ManagerHarness.Local, maxPduSize: MaxPdu);
        var user = new RecordingUser();
        await using var manager = new TransactionManager(transport, user, new TransactionOptions { MId = Mid });
        manager.Start();
        var request = new MegacoMessage(3, ManagerHarness.PeerMId, [new TransactionRequest(9, ManyActions(80))]);

        transport.Deliver(ManagerHarness.Peer, request);
        await Eventually.True(() => transport.SentTransactions<TransactionReply>().Any(r => r.SegmentationComplete), "the last segment");
        var first = transport.SentCount;
        transport.Deliver(ManagerHarness.Peer, request);
        await Eventually.True(() => transport.SentCount == 2 * first, "every segment again");

        Assert.True(first > 1);
        Assert.All(transport.Sent, s => Assert.True(s.Bytes.Length <= MaxPdu));
        Assert.Equal(1, user.Calls);
    }

    /// <summary>Requests resent only after 30 s, so within it the segmentation timer (2 s) alone decides.</summary>
    private static ManagerHarness SegmentTimerHarness() => new(o => o with
    {
        Version = 3,
        RequestTimer = new RetransmitSchedule(TimeSpan.FromSeconds(30), 2, TimeSpan.Zero, TimeSpan.FromSeconds(60), 3),
        SegmentReceiveTimer = TimeSpan.FromSeconds(2),
    });

    private static Task DeliverSegmentAsync(ManagerHarness h, TransactionReply segment) =>
        h.DeliverAsync(new MegacoMessage(3, ManagerHarness.PeerMId, [segment]));

    private static TransactionReply Segment(uint id, ushort number, bool last) =>
        new(id, [new ActionReply(new ContextId(number), [new AmmsReply(AmmsKind.Subtract, [new TerminationId($"rtp/{number}")])])],
            SegmentNumber: number, SegmentationComplete: last);

    [Fact]
    public async Task TheSegmentationTimerFailsARequestWhoseMissingSegmentNeverComes()
    {
        await using var h = SegmentTimerHarness();
        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;

        await DeliverSegmentAsync(h, Segment(id, 1, false));
        await DeliverSegmentAsync(h, Segment(id, 3, true));
        h.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.False(result.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TransactionFailure.SegmentsMissing, outcome.Failure);
        Assert.Null(outcome.Reply);
        // Each segment received was confirmed (H.248.1 v3 SegmentReply), the last with END.
        Assert.Equal([((ushort)1, false), ((ushort)3, true)], h.Transport.SentTransactions<SegmentReply>().Select(r => (r.SegmentNumber, r.SegmentationComplete)));
        Assert.Equal(0, h.Manager.OutstandingRequests);
    }

    [Fact]
    public async Task EachNewSegmentRestartsTheSegmentationTimer()
    {
        await using var h = SegmentTimerHarness();
        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;

        await DeliverSegmentAsync(h, Segment(id, 3, true));
        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        await DeliverSegmentAsync(h, Segment(id, 1, false));
        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        // A duplicate of a segment already held is no progress: it does not restart the timer.
        await DeliverSegmentAsync(h, Segment(id, 1, false));
        Assert.False(result.IsCompleted);
        await DeliverSegmentAsync(h, Segment(id, 2, false));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TransactionFailure.None, outcome.Failure);
        Assert.Equal(["rtp/1", "rtp/2", "rtp/3"], outcome.Reply!.Actions.Select(a => a.Commands[0].TerminationIds[0].Text));
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TransactionFailure.None, (await result).Failure);
    }

    [Fact]
    public async Task LargeV1ReplyIs533()
    {
        var transport = new FakeTransport(ManagerHarness.Local, maxPduSize: MaxPdu);
        await using var manager = new TransactionManager(transport, new RecordingUser(), new TransactionOptions { MId = Mid });
        manager.Start();

        transport.Deliver(ManagerHarness.Peer, new MegacoMessage(1, ManagerHarness.PeerMId, [new TransactionRequest(9, ManyActions(80))]));

        await Eventually.True(() => transport.SentCount == 1, "the reply");
        Assert.Equal((ushort)H248ErrorCode.ResponseExceedsMaximumTransportPduSize, transport.SentTransactions<TransactionReply>()[0].Error!.Code);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public async Task SegmentedRepliesAreReassembledEvenWhenSegmentsAreLost(double loss)
    {
        var network = new FaultyNetwork(11, loss, duplication: 0.1, maxDelayMilliseconds: 3);
        // The requests fit the requester's larger PDU size; the replies exceed the responder's.
        var a = new FakeTransport(MegacoEndpoint.Parse("udp://127.0.0.1:4001"), maxPduSize: 8 * MaxPdu);
        var b = new FakeTransport(MegacoEndpoint.Parse("udp://127.0.0.1:4002"), maxPduSize: MaxPdu);
        network.Attach(a);
        network.Attach(b);
        var userB = new RecordingUser();
        var options = new TransactionOptions
        {
            MId = Mid,
            // Missing segments are recovered by resending the request, so the budget must outlast a slow,
            // loaded test machine: up to 300 resends at most 100 ms apart.
            RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(30), 1.5, TimeSpan.Zero, TimeSpan.FromMilliseconds(100), 300),
            // On a loaded machine a reply can take longer than the provisional response time, so a Pending goes
            // out and the requester stops resending (Annex D.1.3); with segments lost after it, only the long
            // request resend recovers them (as in FaultInjectionTests, which runs the same lossy network).
            LongRequestTimer = TimeSpan.FromMilliseconds(300),
            LongRequestResend = true,
            ReplyHoldTime = TimeSpan.FromSeconds(20),
            AckDelay = TimeSpan.FromMilliseconds(10),
        };
        await using var managerA = new TransactionManager(a, new RecordingUser(), options);
        await using var managerB = new TransactionManager(b, userB, options);
        managerA.Start();
        managerB.Start();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => managerA.SendRequestAsync(b.LocalEndpoint, 3, ManyActions(60, i * 100))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Reply is not null, $"request {i}: {results[i].Failure}");
            var terminations = results[i].Reply!.Actions.Select(x => x.Commands[0].TerminationIds[0].Text);
            Assert.Equal(Enumerable.Range(i * 100, 60).Select(n => $"rtp/{n}"), terminations);
        }
        Assert.All(userB.Executions.Values, count => Assert.Equal(1, count));
        Assert.Contains(b.SentTransactions<TransactionReply>(), r => r.SegmentNumber > 1);
        Assert.True(a.SentTransactions<SegmentReply>().Count > 0);
    }
}
