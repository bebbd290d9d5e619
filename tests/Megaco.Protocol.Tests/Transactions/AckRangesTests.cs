using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Transactions;

public sealed class AckRangesTests
{
    [Fact]
    public void MergesConsecutiveIdsIntoRanges() =>
        Assert.Equal([new TransactionAckRange(1, 3), TransactionAckRange.Single(5), new TransactionAckRange(7, 8)],
            AckRanges.Compress([5, 3, 1, 2, 8, 7, 2]));

    [Fact]
    public void HandlesTheTopOfTheIdSpace() =>
        Assert.Equal([TransactionAckRange.Single(1), new TransactionAckRange(uint.MaxValue - 1, uint.MaxValue)],
            AckRanges.Compress([uint.MaxValue, 1, uint.MaxValue - 1]));

    [Fact]
    public void NothingToAck() => Assert.True(AckRanges.Compress([]).IsEmpty);
}
