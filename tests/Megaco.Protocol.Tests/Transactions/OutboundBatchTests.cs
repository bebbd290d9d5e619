using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>H.248.1 Annex D: several transactions per message, never more than the maximum PDU size.</summary>
public sealed class OutboundBatchTests
{
    private static readonly MId Own = MId.IPv4("127.0.0.1", 2944);
    private static readonly MegacoEndpoint PeerA = MegacoEndpoint.Parse("udp://127.0.0.1:2945");
    private static readonly MegacoEndpoint PeerB = MegacoEndpoint.Parse("udp://127.0.0.1:2946");

    [Theory]
    [InlineData(TextStyle.Compact)]
    [InlineData(TextStyle.Pretty)]
    public void MessagesToOnePeerBecomeOneMessageWithEveryTransactionInOrder(TextStyle style)
    {
        var batch = new OutboundBatch(65507);
        batch.Add(PeerA, Encode(3, style, Reply(1)));
        batch.Add(PeerA, Encode(3, style, new TransactionPending(2)));
        batch.Add(PeerA, Encode(3, style, new SegmentReply(3, 1, true)));
        batch.Add(PeerA, Encode(3, style, Reply(4)));

        var sent = Drain(batch);

        var (peer, bytes) = Assert.Single(sent);
        Assert.Equal(PeerA, peer);
        var read = MegacoTextReader.Default.Read(bytes);
        Assert.True(read.IsSuccess, read.FirstError?.ToString());
        Assert.Equal(3, read.Message!.Version);
        Assert.Equal(Own, read.Message.MId);
        Assert.Equal([1u, 2u, 3u, 4u], read.Message.Transactions.Select(Id));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void PeersAndVersionsStayApartAndEachPeerKeepsItsOrder()
    {
        var batch = new OutboundBatch(65507);
        batch.Add(PeerA, Encode(3, TextStyle.Compact, Reply(1)));
        batch.Add(PeerB, Encode(3, TextStyle.Compact, Reply(2)));
        batch.Add(PeerA, Encode(3, TextStyle.Compact, Reply(3)));
        batch.Add(PeerA, Encode(2, TextStyle.Compact, Reply(4)));
        batch.Add(PeerB, Encode(3, TextStyle.Compact, Reply(5)));

        var sent = Drain(batch);

        var decoded = sent.Select(s => (s.Peer, Message: MegacoTextReader.Default.Read(s.Bytes).Message!)).ToList();
        Assert.Equal(3, decoded.Count);
        Assert.Equal(PeerA, decoded[0].Peer);
        Assert.Equal([1u, 3u], decoded[0].Message.Transactions.Select(Id));
        Assert.Equal(PeerA, decoded[1].Peer);
        Assert.Equal(2, decoded[1].Message.Version);
        Assert.Equal([4u], decoded[1].Message.Transactions.Select(Id));
        Assert.Equal(PeerB, decoded[2].Peer);
        Assert.Equal([2u, 5u], decoded[2].Message.Transactions.Select(Id));
    }

    [Fact]
    public void NoMergedMessageExceedsTheMaximumPduSize()
    {
        var one = Encode(3, TextStyle.Compact, Reply(1));
        var header = Array.IndexOf(one, (byte)'\n') + 1;
        // Room for the header and exactly two transaction lists with their separator.
        var maxPdu = one.Length + 1 + (one.Length - header);
        var batch = new OutboundBatch(maxPdu);
        for (uint id = 1; id <= 5; id++)
        {
            batch.Add(PeerA, Encode(3, TextStyle.Compact, Reply(id)));
        }

        var sent = Drain(batch);

        Assert.Equal([2, 2, 1], sent.Select(s => MegacoTextReader.Default.Read(s.Bytes).Message!.Transactions.Count));
        Assert.All(sent, s => Assert.True(s.Bytes.Length <= maxPdu));
        Assert.Contains(sent, s => s.Bytes.Length == maxPdu);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (uint)i),
            sent.SelectMany(s => MegacoTextReader.Default.Read(s.Bytes).Message!.Transactions).Select(Id));
    }

    [Fact]
    public void OneHeldMessageGoesUnchanged()
    {
        var batch = new OutboundBatch(65507);
        var message = Encode(1, TextStyle.Pretty, Reply(9));
        batch.Add(PeerB, message);

        var (peer, bytes) = Assert.Single(Drain(batch));

        Assert.Equal(PeerB, peer);
        Assert.Equal(message, bytes);
    }

    private static List<(MegacoEndpoint Peer, byte[] Bytes)> Drain(OutboundBatch batch)
    {
        var sent = new List<(MegacoEndpoint, byte[])>();
        batch.Drain((peer, message) => sent.Add((peer, message.ToArray())));
        return sent;
    }

    private static uint Id(Transaction transaction) => transaction switch
    {
        TransactionReply reply => reply.TransactionId,
        TransactionPending pending => pending.TransactionId,
        SegmentReply segment => segment.TransactionId,
        _ => throw new ArgumentException(transaction.ToString()),
    };

    private static TransactionReply Reply(uint id) =>
        new(id, [new ActionReply(new ContextId(id), [new AmmsReply(AmmsKind.Subtract, [new TerminationId("msrp/" + id)])])]);

    private static byte[] Encode(int version, TextStyle style, Transaction transaction) =>
        MegacoTextWriter.ToBytes(new MegacoMessage(version, Own, [transaction]), style);
}
