using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Transactions;

public sealed class TransactionIdGeneratorTests
{
    [Fact]
    public void StartsAtOne() => Assert.Equal(1u, new TransactionIdGenerator().Allocate());

    [Fact]
    public void WrapsToOneSkippingZero()
    {
        var ids = new TransactionIdGenerator(uint.MaxValue - 1);

        Assert.Equal([uint.MaxValue - 1, uint.MaxValue, 1u, 2u], Enumerable.Range(0, 4).Select(_ => ids.Allocate()));
    }

    [Fact]
    public void NeverHandsOutAnOutstandingId()
    {
        var ids = new TransactionIdGenerator();
        Assert.Equal([1u, 2u, 3u], Enumerable.Range(0, 3).Select(_ => ids.Allocate()));
        ids.Release(2);

        // Round the id space again: 1 and 3 are still outstanding and are skipped.
        ids.SeekTo(1);
        Assert.Equal([2u, 4u], Enumerable.Range(0, 2).Select(_ => ids.Allocate()));
        Assert.Equal(4, ids.Outstanding);
    }

    [Fact]
    public void SkipsAnOutstandingIdAcrossTheWrap()
    {
        var ids = new TransactionIdGenerator();
        Assert.Equal(1u, ids.Allocate());
        ids.SeekTo(uint.MaxValue);

        Assert.Equal([uint.MaxValue, 2u], Enumerable.Range(0, 2).Select(_ => ids.Allocate()));
    }
}
