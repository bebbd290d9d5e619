using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>Scenarios of H.248.1 Annex D on a fake clock: retransmission, Pending, pending limits, at-most-once, acks.</summary>
public sealed class TransactionManagerTests
{
    private static readonly RetransmitSchedule Schedule = new(TimeSpan.FromSeconds(7), 2, TimeSpan.Zero, TimeSpan.FromSeconds(30), 3);

    [Fact]
    public async Task UnansweredRequestIsResentOnScheduleThenTimesOut()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        Assert.Equal(1, h.Transport.SentCount);

        // Waits 7, 14, 28 then 30 s (capped): a resend at the end of each of the first three.
        foreach (var (wait, sentAfter) in new[] { (7, 2), (14, 3), (28, 4) })
        {
            h.Time.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(sentAfter - 1, h.Transport.SentCount);
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(sentAfter, h.Transport.SentCount);
        }
        h.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.False(result.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(TransactionFailure.Timeout, outcome.Failure);
        Assert.Equal(3, outcome.Retransmissions);
        Assert.Equal(4, h.Transport.SentCount);
        // H.248.1 Annex D.1.2: every retransmission is the same message.
        Assert.All(h.Transport.Sent, s => Assert.Equal(h.Transport.Sent[0].Bytes, s.Bytes));
        Assert.Equal(0, h.Manager.OutstandingRequests);
    }

    [Fact]
    public async Task ReplyCompletesTheRequestAndStopsResending()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(7));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;
        await h.DeliverAsync(new TransactionReply(id, [new ActionReply(new ContextId(1), [new AmmsReply(AmmsKind.Subtract, [new TerminationId("rtp/7")])])]));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("rtp/7", RecordingUser.RepliedTermination(outcome.Reply));
        h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(h.Transport.SentTransactions<TransactionRequest>().Skip(1));
    }

    [Fact]
    public async Task PendingSwitchesToTheLongTimerWithoutResends()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule, LongRequestTimer = TimeSpan.FromSeconds(60) });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await h.DeliverAsync(new TransactionPending(id));

        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, h.Transport.SentCount);
        Assert.False(result.IsCompleted);

        // Each Pending restarts the long timer.
        await h.DeliverAsync(new TransactionPending(id));
        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(result.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(TransactionFailure.Timeout, outcome.Failure);
        Assert.Equal(2, outcome.PendingsReceived);
        Assert.Equal(1, h.Transport.SentCount);
    }

    [Fact]
    public async Task LongRequestResendAsksAgainWhenTheLongTimerRunsOut()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule, LongRequestTimer = TimeSpan.FromSeconds(60), LongRequestResend = true });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;
        await h.DeliverAsync(new TransactionPending(id));
        h.Time.Advance(TimeSpan.FromSeconds(60));

        // The final reply was lost: the request goes again, unchanged, and the cached reply answers it.
        Assert.Equal(2, h.Transport.SentCount);
        Assert.Equal(h.Transport.Sent[0].Bytes, h.Transport.Sent[1].Bytes);
        await h.DeliverAsync(new TransactionReply(id, [], new ErrorDescriptor(430)));
        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(outcome.HasReply);
        Assert.Equal(1, outcome.Retransmissions);
    }

    [Fact]
    public async Task ReplyAfterPendingCompletesAndLatePendingIsIgnored()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;
        await h.DeliverAsync(new TransactionPending(id));
        await h.DeliverAsync(new TransactionReply(id, [], new ErrorDescriptor(430)));
        await h.DeliverAsync(new TransactionPending(id));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((ushort)430, outcome.Reply!.Error!.Code);
        Assert.Equal(1, outcome.PendingsReceived);
    }

    [Fact]
    public async Task TooManyPendingsFromThePeerFailTheRequest()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule, ReceivedPendingLimit = 2 });

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        var id = h.Transport.SentTransactions<TransactionRequest>().Single().TransactionId;
        await h.DeliverAsync(new TransactionPending(id));
        await h.DeliverAsync(new TransactionPending(id));
        Assert.False(result.IsCompleted);
        await h.DeliverAsync(new TransactionPending(id));

        var outcome = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(TransactionFailure.PendingLimitExceeded, outcome.Failure);
    }

    [Fact]
    public async Task SlowExecutionSendsPendingsThen506AtTheLimit()
    {
        await using var h = new ManagerHarness(o => o with { ProvisionalResponseTime = TimeSpan.FromSeconds(2), SentPendingLimit = 2 });
        h.User.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await h.DeliverAsync(ManagerHarness.Request(40, 1));
        Assert.Equal(1, h.User.Calls);
        Assert.Empty(h.Transport.Sent);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, h.Transport.SentTransactions<TransactionPending>().Count(p => p.TransactionId == 40));

        // A third Pending would exceed the limit: the transaction is abandoned with 506 and the user cancelled.
        h.Time.Advance(TimeSpan.FromSeconds(2));
        var reply = Assert.Single(h.Transport.SentTransactions<TransactionReply>());
        Assert.Equal((ushort)H248ErrorCode.NumberOfTransactionPendingsExceeded, reply.Error!.Code);
        await Eventually.True(() => h.User.CancelledCalls == 1, "the handler to be cancelled");

        // A retransmission now gets the 506 again, and nothing is executed twice.
        await h.DeliverAsync(ManagerHarness.Request(40, 1));
        Assert.Equal(2, h.Transport.SentTransactions<TransactionReply>().Count(r => r.Error?.Code == 506));
        Assert.Equal(1, h.User.Calls);
    }

    [Fact]
    public async Task FastExecutionSendsNoPending()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync(ManagerHarness.Request(5, 5));
        await Eventually.True(() => h.Transport.SentCount == 1, "the reply");
        h.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("rtp/5", RecordingUser.RepliedTermination(Assert.Single(h.Transport.SentTransactions<TransactionReply>())));
        Assert.Empty(h.Transport.SentTransactions<TransactionPending>());
    }

    [Fact]
    public async Task DuplicateInsideTheReplyWindowGetsTheCachedReply()
    {
        await using var h = new ManagerHarness(o => o with { ReplyHoldTime = TimeSpan.FromSeconds(30) });

        await h.DeliverAsync(ManagerHarness.Request(9, 9));
        await Eventually.True(() => h.Transport.SentCount == 1, "the reply");
        h.Time.Advance(TimeSpan.FromSeconds(29));
        await h.DeliverAsync(ManagerHarness.Request(9, 9));

        Assert.Equal(2, h.Transport.SentCount);
        Assert.Equal(h.Transport.Sent[0].Bytes, h.Transport.Sent[1].Bytes);
        Assert.Equal(1, h.User.Calls);

        // After the hold time the request is forgotten (H.248.1 Annex D.1.1 keeps it at least that long, no longer).
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, h.Manager.CachedReplies);
    }

    [Fact]
    public async Task DuplicateWhileExecutingGetsPending()
    {
        await using var h = new ManagerHarness();
        h.User.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await h.DeliverAsync(ManagerHarness.Request(11, 1));
        await h.DeliverAsync(ManagerHarness.Request(11, 1));
        await h.DeliverAsync(ManagerHarness.Request(11, 1));

        Assert.Equal(2, h.Transport.SentTransactions<TransactionPending>().Count(p => p.TransactionId == 11));
        h.User.Gate.SetResult();
        await Eventually.True(() => h.Transport.SentTransactions<TransactionReply>().Count == 1, "the reply");
        Assert.Equal(1, h.User.Calls);
    }

    [Fact]
    public async Task ResponseAckReleasesTheCachedReply()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync(ManagerHarness.Request(20, 1), ManagerHarness.Request(21, 2), ManagerHarness.Request(23, 3));
        await Eventually.True(() => h.Transport.SentTransactions<TransactionReply>().Count == 3, "three replies");
        Assert.Equal(3, h.Manager.CachedReplies);

        await h.DeliverAsync(new TransactionResponseAck([new TransactionAckRange(20, 22)]));
        Assert.Equal(1, h.Manager.CachedReplies);
        await h.DeliverAsync(new TransactionResponseAck([TransactionAckRange.Single(23)]));
        Assert.Equal(0, h.Manager.CachedReplies);
    }

    [Fact]
    public async Task RepliesToRequestsProcessedTogetherShareOneMessage()
    {
        await using var h = new ManagerHarness();

        // H.248.1 Annex D: several transactions per message; the three replies are ready before any further input.
        await h.DeliverAsync(ManagerHarness.Request(30, 1), ManagerHarness.Request(31, 2), ManagerHarness.Request(32, 3));

        var message = Assert.Single(h.Transport.SentMessages);
        Assert.Equal([30u, 31u, 32u], message.Transactions.OfType<TransactionReply>().Select(r => r.TransactionId));
        Assert.Equal(3, h.User.Calls);
    }

    [Fact]
    public async Task DuplicateArrivingAfterTheAckIsIgnored()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync(ManagerHarness.Request(50, 1));
        await Eventually.True(() => h.Transport.SentCount == 1, "the reply");
        await h.DeliverAsync(new TransactionResponseAck([TransactionAckRange.Single(50)]));
        // A retransmission that was still in the network when the ack left.
        await h.DeliverAsync(ManagerHarness.Request(50, 1));

        Assert.Equal(1, h.User.Calls);
        Assert.Equal(1, h.Transport.SentCount);
    }

    [Fact]
    public async Task AcksAreBatchedIntoRanges()
    {
        await using var h = new ManagerHarness(o => o with { AckDelay = TimeSpan.FromMilliseconds(100), AckMaxCount = 10 });

        await h.DeliverAsync(
            new TransactionReply(1, [], new ErrorDescriptor(430)),
            new TransactionReply(2, [], new ErrorDescriptor(430)),
            new TransactionReply(3, [], new ErrorDescriptor(430)),
            new TransactionReply(5, [], new ErrorDescriptor(430)));
        Assert.Empty(h.Transport.Sent);

        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        var ack = Assert.Single(h.Transport.SentTransactions<TransactionResponseAck>());
        Assert.Equal([new TransactionAckRange(1, 3), TransactionAckRange.Single(5)], ack.Acks);
    }

    [Fact]
    public async Task FullAckBatchIsSentAtOnce()
    {
        await using var h = new ManagerHarness(o => o with { AckMaxCount = 10 });

        await h.DeliverAsync([.. Enumerable.Range(100, 10).Select(i => (Transaction)new TransactionReply((uint)i, [], new ErrorDescriptor(430)))]);

        var ack = Assert.Single(h.Transport.SentTransactions<TransactionResponseAck>());
        Assert.Equal([new TransactionAckRange(100, 109)], ack.Acks);
    }

    [Fact]
    public async Task ImmAckRequiredIsAckedAtOnce()
    {
        await using var h = new ManagerHarness(reliable: true);

        await h.DeliverAsync(new TransactionReply(7, [], new ErrorDescriptor(430), ImmAckRequired: true));

        Assert.Equal([TransactionAckRange.Single(7)], Assert.Single(h.Transport.SentTransactions<TransactionResponseAck>()).Acks);
    }

    [Fact]
    public async Task WaitingAcksRideOnTheNextRequest()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync(new TransactionReply(70, [], new ErrorDescriptor(430)));
        _ = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));

        var message = Assert.Single(h.Transport.SentMessages);
        Assert.IsType<TransactionResponseAck>(message.Transactions[0]);
        Assert.IsType<TransactionRequest>(message.Transactions[1]);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(h.Transport.SentTransactions<TransactionResponseAck>());
    }

    [Fact]
    public async Task ReliableTransportNeitherResendsNorAcks()
    {
        await using var h = new ManagerHarness(o => o with { RequestTimer = Schedule }, reliable: true);

        var result = h.Manager.SendRequestAsync(h.PeerEndpoint, RecordingUser.Subtract(1));
        // FakeTimeProvider jumps the clock before firing timers, so walk the schedule one wait at a time.
        var waits = Schedule.Waits().ToArray();
        foreach (var wait in waits[..^1])
        {
            h.Time.Advance(wait);
        }
        h.Time.Advance(waits[^1] - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, h.Transport.SentCount);
        Assert.False(result.IsCompleted);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TransactionFailure.Timeout, (await result.WaitAsync(TimeSpan.FromSeconds(5))).Failure);

        await h.DeliverAsync(new TransactionReply(99, [], new ErrorDescriptor(430)));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(h.Transport.SentTransactions<TransactionResponseAck>());
    }

    [Fact]
    public async Task SyntaxErrorInMessageIsAnswered400()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync("MEGACO/1 [127.0.0.1]:2945 Garbage");

        var answer = Assert.Single(h.Transport.SentMessages);
        Assert.Equal((ushort)H248ErrorCode.SyntaxErrorInMessage, answer.Error!.Code);
        Assert.Equal(0, h.User.Calls);
        await Eventually.True(() => h.User.Events.Any(e => e.Kind == MegacoEventKind.SyntaxError), "the syntax error event");
    }

    [Fact]
    public async Task BrokenRequestIsAnswered403WithItsIdAndTheOthersExecute()
    {
        await using var h = new ManagerHarness();

        await h.DeliverAsync("MEGACO/1 [127.0.0.1]:2945 Transaction = 31 { Context = 1 { Subtract = rtp/1 } } Transaction = 32 { Context = 1 { Bogus } }");

        await Eventually.True(() => h.Transport.SentTransactions<TransactionReply>().Count == 2, "both replies");
        var replies = h.Transport.SentTransactions<TransactionReply>();
        Assert.Equal((ushort)H248ErrorCode.SyntaxErrorInTransactionRequest, replies.Single(r => r.TransactionId == 32).Error!.Code);
        Assert.Equal("rtp/1", RecordingUser.RepliedTermination(replies.Single(r => r.TransactionId == 31)));
        Assert.Equal(1, h.User.Calls);
    }

    [Fact]
    public async Task GarbageFloodIsAnsweredAndDoesNotStarveAnotherPeer()
    {
        await using var h = new ManagerHarness(o => o with { Workers = 2 });
        var flooder = Megaco.Protocol.Transport.MegacoEndpoint.Parse("udp://127.0.0.1:6666");
        var garbage = System.Text.Encoding.ASCII.GetBytes("MEGACO/1 [127.0.0.1]:6666 Transaction = 1 { Context = 1 { ");

        for (var i = 0; i < 2000; i++)
        {
            h.Transport.Deliver(flooder, garbage);
            if (i % 100 == 0)
            {
                h.Transport.Deliver(ManagerHarness.Peer, new MegacoMessage(1, ManagerHarness.PeerMId, [ManagerHarness.Request((uint)(i + 1), i)]));
            }
        }

        await Eventually.True(() => h.Transport.SentCount == 2020, "an answer to every message", 15000);
        var toPeer = h.Transport.Sent.Where(s => s.Peer.Equals(ManagerHarness.Peer)).Select(s => MegacoTextReader.Default.Read(s.Bytes).Message!).ToArray();
        Assert.Equal(20, toPeer.Length);
        Assert.All(toPeer, m => Assert.Null(Assert.IsType<TransactionReply>(m.Transactions[0]).Error));
        Assert.Equal(2000, h.Transport.Sent.Count(s => s.Peer.Equals(flooder)));
        Assert.Equal(20, h.User.Calls);
    }

    [Fact]
    public async Task FailingHandlerIsAnswered500()
    {
        await using var h = new ManagerHarness();
        h.User.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.User.Gate.SetException(new InvalidOperationException("boom"));

        await h.DeliverAsync(ManagerHarness.Request(3, 1));

        await Eventually.True(() => h.Transport.SentTransactions<TransactionReply>().Count == 1, "the reply");
        Assert.Equal((ushort)H248ErrorCode.InternalSoftwareFailure, h.Transport.SentTransactions<TransactionReply>()[0].Error!.Code);
    }

    [Fact]
    public async Task OversizeReplyBecomes533()
    {
        await using var h = new ManagerHarness();
        var huge = new ValueList<ActionRequest>([.. Enumerable.Range(0, 1000).Select(i => RecordingUser.Subtract(i)[0])]);
        var transport = new FakeTransport(ManagerHarness.Local, maxPduSize: 2048);
        await using var manager = new TransactionManager(transport, h.User, h.Options, h.Time);
        manager.Start();

        transport.Deliver(ManagerHarness.Peer, new MegacoMessage(1, ManagerHarness.PeerMId, [new TransactionRequest(8, huge)]));

        await Eventually.True(() => transport.SentCount == 1, "the reply");
        Assert.Equal((ushort)H248ErrorCode.ResponseExceedsMaximumTransportPduSize, transport.SentTransactions<TransactionReply>()[0].Error!.Code);
    }

    [Fact]
    public async Task CancellingAbandonsTheRequest()
    {
        await using var h = new ManagerHarness();
        using var cancel = new CancellationTokenSource();

        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => result);
        Assert.Equal(0, h.Manager.OutstandingRequests);
    }

    [Fact]
    public async Task LostConnectionFailsOnlyThatPeersRequests()
    {
        await using var h = new ManagerHarness(reliable: true);
        var other = Megaco.Protocol.Transport.MegacoEndpoint.Parse("tcp://127.0.0.1:7777");

        var toPeer = h.Manager.SendRequestAsync(h.PeerEndpoint, RecordingUser.Subtract(1));
        var toOther = h.Manager.SendRequestAsync(other, RecordingUser.Subtract(2));
        h.Transport.LoseConnection(h.PeerEndpoint, "reset");

        Assert.Equal(TransactionFailure.ConnectionLost, (await toPeer.WaitAsync(TimeSpan.FromSeconds(5))).Failure);
        Assert.False(toOther.IsCompleted);
        await Eventually.True(() => h.User.Events.Any(e => e.Kind == MegacoEventKind.ConnectionLost), "the event");
    }

    [Fact]
    public async Task StoppingFailsOutstandingRequests()
    {
        var h = new ManagerHarness();
        var result = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));

        await h.DisposeAsync();

        Assert.Equal(TransactionFailure.Stopped, (await result.WaitAsync(TimeSpan.FromSeconds(5))).Failure);
    }

    [Fact]
    public async Task RequestGoesInThePeersVersionAndTheReplyInTheRequests()
    {
        await using var h = new ManagerHarness();

        _ = h.Manager.SendRequestAsync(ManagerHarness.Peer, 3, RecordingUser.Subtract(1));
        await h.DeliverAsync(new MegacoMessage(2, ManagerHarness.PeerMId, [ManagerHarness.Request(60, 1)]));

        await Eventually.True(() => h.Transport.SentCount == 2, "the request and the reply");
        Assert.Equal(3, h.Transport.SentMessages.Single(m => m.Transactions[0] is TransactionRequest).Version);
        Assert.Equal(2, h.Transport.SentMessages.Single(m => m.Transactions[0] is TransactionReply).Version);
    }

    [Fact]
    public async Task IdsWrapPastZero()
    {
        await using var h = new ManagerHarness(firstTransactionId: uint.MaxValue);

        _ = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(1));
        _ = h.Manager.SendRequestAsync(ManagerHarness.Peer, RecordingUser.Subtract(2));

        Assert.Equal([uint.MaxValue, 1u], h.Transport.SentTransactions<TransactionRequest>().Select(r => r.TransactionId));
    }
}
