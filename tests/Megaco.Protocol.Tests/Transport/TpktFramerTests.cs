using System.Buffers;
using System.Text;
using Megaco.Protocol.Transport;

using Megaco.TestSupport;

namespace Megaco.Protocol.Tests.Transport;

public sealed class TpktFramerTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("MEGACO/1 [127.0.0.1]:2944 Transaction = 9 { Context = - { ServiceChange = ROOT { Services { Method = Restart } } } }");

    private static readonly byte[] TwoPackets = [.. TpktFramer.Frame(Message), .. TpktFramer.Frame("!/1 [::1] P=1{}"u8)];

    public static TheoryData<int> EveryOffset()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i <= TwoPackets.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Fact]
    public void FramesWithTheRfc1006Header()
    {
        var packet = TpktFramer.Frame(Message);

        // RFC 1006 §6: vrsn 3, reserved 0, length of the whole packet big-endian.
        Assert.Equal(3, packet[0]);
        Assert.Equal(0, packet[1]);
        Assert.Equal(Message.Length + 4, (packet[2] << 8) | packet[3]);
        Assert.Equal(Message, packet[4..]);
    }

    [Theory]
    [MemberData(nameof(EveryOffset))]
    public void EveryPrefixNeedsMoreAndConsumesNothing(int length)
    {
        var first = TpktFramer.Frame(Message);
        if (length >= first.Length)
        {
            return;
        }
        var buffer = new ReadOnlySequence<byte>(first, 0, length);

        var status = TpktFramer.TryRead(ref buffer, TpktFramer.MaxPayloadLength, out _, out var error);

        Assert.Equal(TpktReadStatus.NeedMoreData, status);
        Assert.Equal(TpktError.None, error);
        Assert.Equal(length, buffer.Length);
    }

    [Theory]
    [MemberData(nameof(EveryOffset))]
    public void EverySplitYieldsBothMessages(int split)
    {
        var buffer = Segmented(TwoPackets, split);

        Assert.Equal([Message, "!/1 [::1] P=1{}"u8.ToArray()], ReadAll(ref buffer));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void OneByteSegmentsYieldBothMessages()
    {
        var buffer = Segmented(TwoPackets, Enumerable.Range(1, TwoPackets.Length - 1).ToArray());

        Assert.Equal(2, ReadAll(ref buffer).Count);
    }

    [Theory]
    [InlineData(new byte[] { 2 }, TpktError.BadVersion)]
    [InlineData(new byte[] { 4, 0, 0, 10 }, TpktError.BadVersion)]
    [InlineData(new byte[] { 3, 1 }, TpktError.BadReserved)]
    [InlineData(new byte[] { 3, 0, 0, 4 }, TpktError.LengthTooSmall)]
    [InlineData(new byte[] { 3, 0, 0, 0 }, TpktError.LengthTooSmall)]
    [InlineData(new byte[] { 3, 0, 0, 3, 65 }, TpktError.LengthTooSmall)]
    [InlineData(new byte[] { (byte)'M', (byte)'E', (byte)'G', (byte)'A' }, TpktError.BadVersion)]
    public void RefusesBadHeaders(byte[] bytes, TpktError expected)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = TpktFramer.TryRead(ref buffer, TpktFramer.MaxPayloadLength, out _, out var error);

        Assert.Equal(TpktReadStatus.Invalid, status);
        Assert.Equal(expected, error);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void RefusesOversizeAsSoonAsTheHeaderIsComplete()
    {
        // Announces 65535 bytes, but only the header has arrived: refused without waiting for the payload.
        var buffer = new ReadOnlySequence<byte>(new byte[] { 3, 0, 0xFF, 0xFF });

        var status = TpktFramer.TryRead(ref buffer, maxPayloadLength: 1024, out _, out var error);

        Assert.Equal(TpktReadStatus.Invalid, status);
        Assert.Equal(TpktError.LengthTooLarge, error);
    }

    [Fact]
    public void AcceptsExactlyTheMaximumPayload()
    {
        var payload = new byte[TpktFramer.MaxPayloadLength];
        var buffer = new ReadOnlySequence<byte>(TpktFramer.Frame(payload));

        Assert.Equal(TpktReadStatus.Frame, TpktFramer.TryRead(ref buffer, TpktFramer.MaxPayloadLength, out var read, out _));
        Assert.Equal(payload.Length, read.Length);
    }

    [Fact]
    public void WriteHeaderRefusesWhatTheLengthFieldCannotHold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TpktFramer.WriteHeader(new byte[4], TpktFramer.MaxPayloadLength + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TpktFramer.WriteHeader(new byte[4], 0));
    }

    private static List<byte[]> ReadAll(ref ReadOnlySequence<byte> buffer)
    {
        var messages = new List<byte[]>();
        while (TpktFramer.TryRead(ref buffer, TpktFramer.MaxPayloadLength, out var payload, out var error) == TpktReadStatus.Frame)
        {
            Assert.Equal(TpktError.None, error);
            messages.Add(payload.ToArray());
        }
        return messages;
    }

    /// <summary>The bytes cut at each distinct split strictly inside them.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, params int[] splits) =>
        Segments.Of(Segments.Split(bytes, splits.Where(s => s > 0 && s < bytes.Length).Distinct().Order().ToArray()));
}
