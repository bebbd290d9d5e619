using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Megaco.Protocol.Tests.Transactions;

public sealed class ReplyCacheTests
{
    private static readonly MegacoEndpoint Peer = MegacoEndpoint.Parse("udp://127.0.0.1:2945");
    private static readonly MegacoEndpoint Other = MegacoEndpoint.Parse("udp://127.0.0.1:2946");

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void RequestGoesFromNewToExecutingToReplied()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));

        Assert.Equal(ReplyState.New, cache.Begin(Peer, 1, 3, out var entry));
        Assert.Equal(ReplyState.Executing, cache.Begin(Peer, 1, 3, out _));
        cache.Complete(entry, new byte[] { 1, 2, 3 });
        Assert.Equal(ReplyState.Replied, cache.Begin(Peer, 1, 3, out var again));
        Assert.Same(entry, again);
        Assert.Equal(3, again.Version);
    }

    [Fact]
    public void SameIdFromAnotherPeerIsAnotherRequest()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));
        cache.Begin(Peer, 1, 1, out _);

        Assert.Equal(ReplyState.New, cache.Begin(Other, 1, 1, out _));
    }

    [Fact]
    public void AckDropsTheReplyButRemembersTheIdUntilTheHoldTime()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));
        cache.Begin(Peer, 5, 1, out var entry);
        cache.Complete(entry, new byte[] { 1 });

        Assert.Equal(1, cache.Acknowledge(Peer, [TransactionAckRange.Single(5)]));
        Assert.Equal(ReplyState.Acknowledged, cache.Begin(Peer, 5, 1, out _));
        Assert.Empty(entry.Reply);
        Assert.Equal(0, cache.Live);

        _time.Advance(TimeSpan.FromSeconds(30));
        cache.Sweep();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void AckFromAnotherPeerOrForAnExecutingRequestChangesNothing()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));
        cache.Begin(Peer, 5, 1, out var replied);
        cache.Complete(replied, new byte[] { 1 });
        cache.Begin(Peer, 6, 1, out _);

        Assert.Equal(0, cache.Acknowledge(Other, [TransactionAckRange.Single(5)]));
        Assert.Equal(0, cache.Acknowledge(Peer, [TransactionAckRange.Single(6)]));
        Assert.Equal(2, cache.Live);
    }

    [Fact]
    public void WideAckRangeIsWalkedByEntries()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));
        foreach (var id in new uint[] { 1, 1000, uint.MaxValue })
        {
            cache.Begin(Peer, id, 1, out var entry);
            cache.Complete(entry, new byte[] { 1 });
        }

        Assert.Equal(3, cache.Acknowledge(Peer, [new TransactionAckRange(1, uint.MaxValue)]));
    }

    [Fact]
    public void SweepForgetsOnlyRepliesOlderThanTheHoldTime()
    {
        var cache = new ReplyCache(_time, TimeSpan.FromSeconds(30));
        cache.Begin(Peer, 1, 1, out var first);
        cache.Complete(first, new byte[] { 1 });
        _time.Advance(TimeSpan.FromSeconds(10));
        cache.Begin(Peer, 2, 1, out var second);
        cache.Complete(second, new byte[] { 2 });
        cache.Begin(Peer, 3, 1, out _);

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, cache.Sweep());
        Assert.Equal(ReplyState.New, cache.Begin(Peer, 1, 1, out _));
        Assert.Equal(ReplyState.Replied, cache.Begin(Peer, 2, 1, out _));
        Assert.Equal(ReplyState.Executing, cache.Begin(Peer, 3, 1, out _));
    }
}
