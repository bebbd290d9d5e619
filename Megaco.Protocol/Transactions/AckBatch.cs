namespace Megaco.Protocol.Transactions;

/// <summary>Transaction ids of replies received from one peer and not yet acknowledged.</summary>
internal sealed class AckBatch
{
    public List<uint> Ids { get; } = [];

    public ITimer? FlushTimer { get; set; }
}
