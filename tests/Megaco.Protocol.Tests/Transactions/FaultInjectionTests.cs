using System.Diagnostics;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Xunit.Abstractions;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>
/// Two managers on a network that drops 30% of messages, duplicates 10% and delays (so reorders) the rest by
/// up to 5 ms, requests flowing both ways at once, some slow enough to draw Pendings: every transaction
/// completes with its own reply and none executes twice (H.248.1 Annex D.1.1). Without
/// <see cref="TransactionOptions.LongRequestResend"/> a final reply lost after a Pending ends in a timeout, as the spec has it.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private const int RequestsEachWay = 150;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryTransactionCompletesOnceAt30PercentLoss(int seed)
    {
        var network = new FaultyNetwork(seed, loss: 0.30, duplication: 0.10, maxDelayMilliseconds: 5);
        var a = new FakeTransport(MegacoEndpoint.Parse("udp://127.0.0.1:3001"));
        var b = new FakeTransport(MegacoEndpoint.Parse("udp://127.0.0.1:3002"));
        network.Attach(a);
        network.Attach(b);
        var userA = new RecordingUser();
        // Every tenth request takes longer than the provisional response time, so Pendings cross the lossy network too.
        var userB = new RecordingUser { Delay = id => id % 10 == 0 ? TimeSpan.FromMilliseconds(120) : TimeSpan.Zero };
        var options = new TransactionOptions
        {
            MId = MId.IPv4("127.0.0.1", 3001),
            // At 30% loss each way an attempt gets through with p = 0.49; 40 attempts leave ~1e-12 per transaction.
            RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(20), 1.5, TimeSpan.Zero, TimeSpan.FromMilliseconds(80), 40),
            LongRequestTimer = TimeSpan.FromMilliseconds(300),
            // A final reply lost after a Pending is otherwise never asked for again (H.248.1 Annex D.1.3).
            LongRequestResend = true,
            ProvisionalResponseTime = TimeSpan.FromMilliseconds(40),
            // Longer than a requester keeps retrying (under 4 s), so no retransmission outlives its cached reply.
            ReplyHoldTime = TimeSpan.FromSeconds(10),
            AckDelay = TimeSpan.FromMilliseconds(10),
            Workers = 2,
        };
        await using var managerA = new TransactionManager(a, userA, options);
        await using var managerB = new TransactionManager(b, userB, options with { MId = MId.IPv4("127.0.0.1", 3002) });
        managerA.Start();
        managerB.Start();
        var clock = Stopwatch.StartNew();

        var aToB = Enumerable.Range(0, RequestsEachWay).Select(i => managerA.SendRequestAsync(b.LocalEndpoint, RecordingUser.Subtract(i))).ToArray();
        var bToA = Enumerable.Range(0, RequestsEachWay).Select(i => managerB.SendRequestAsync(a.LocalEndpoint, RecordingUser.Subtract(1000 + i))).ToArray();
        var results = await Task.WhenAll(aToB.Concat(bToA)).WaitAsync(TimeSpan.FromSeconds(20));

        foreach (var failed in results.Where(r => !r.HasReply || r.Reply!.Error is not null))
        {
            output.WriteLine($"failed: {failed}");
        }
        for (var i = 0; i < RequestsEachWay; i++)
        {
            Assert.Equal($"rtp/{i}", RecordingUser.RepliedTermination(results[i].Reply));
            Assert.Equal($"rtp/{1000 + i}", RecordingUser.RepliedTermination(results[RequestsEachWay + i].Reply));
        }
        Assert.Equal(RequestsEachWay, userB.Executions.Count);
        Assert.Equal(RequestsEachWay, userA.Executions.Count);
        Assert.All(userA.Executions.Values.Concat(userB.Executions.Values), count => Assert.Equal(1, count));
        var resent = results.Sum(r => r.Retransmissions);
        var pendings = results.Sum(r => r.PendingsReceived);
        Assert.True(network.Dropped > 0 && resent > 0 && pendings > 0);
        output.WriteLine($"seed {seed}: {results.Length} transactions in {clock.ElapsedMilliseconds} ms, {network.Dropped} messages dropped, " +
            $"{network.Duplicated} duplicated, {resent} retransmissions, {pendings} pendings received");
    }
}
