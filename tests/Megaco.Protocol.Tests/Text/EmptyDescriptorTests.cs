using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Text.Generators;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// A present-but-empty descriptor means something (an empty Statistics descriptor switches statistics off,
/// an empty Signals descriptor stops all signals, a bare Events clears the events), so each one must survive
/// read → write → read in both styles and stay distinct from the same message without it.
/// </summary>
public sealed class EmptyDescriptorTests
{
    private static readonly TerminationId T1 = new("t1");

    public static TheoryData<string, int> Cases() => new()
    {
        { "Statistics", 3 },
        { "Statistics in a stream", 3 },
        { "Statistics in an audit reply", 1 },
        { "Events", 1 },
        { "Signals", 1 },
        { "EventBuffer", 1 },
        { "Audit in Subtract", 1 },
        { "Audit in Add", 2 },
        { "Local and Remote", 1 },
        { "Local and Remote in a stream", 2 },
    };

    /// <summary>The message with the empty descriptor, and the same message without it.</summary>
    private static (MegacoMessage With, MegacoMessage Without) Build(string name, int version) => name switch
    {
        "Statistics" => (Modify(version, StatisticsDescriptor.Empty), Modify(version)),
        "Statistics in a stream" => (
            Modify(version, new MediaDescriptor(Streams: [new StreamDescriptor(1, new StreamParms(new LocalControlDescriptor(StreamMode.SendReceive), Statistics: StatisticsDescriptor.Empty))])),
            Modify(version, new MediaDescriptor(Streams: [new StreamDescriptor(1, new StreamParms(new LocalControlDescriptor(StreamMode.SendReceive)))]))),
        "Statistics in an audit reply" => (AuditReplyWith(version, StatisticsDescriptor.Empty), AuditReplyWith(version, null)),
        "Events" => (Modify(version, EventsDescriptor.Empty), Modify(version)),
        "Signals" => (Modify(version, SignalsDescriptor.Empty), Modify(version)),
        "EventBuffer" => (Modify(version, new EventBufferDescriptor(ValueList<ObservedEvent>.Empty)), Modify(version)),
        "Audit in Subtract" => (Message(version, new SubtractRequest([T1], AuditDescriptor.Empty)), Message(version, new SubtractRequest([T1]))),
        "Audit in Add" => (Modify(version, AuditDescriptor.Empty), Modify(version)),
        "Local and Remote" => (
            Modify(version, new MediaDescriptor(Stream: new StreamParms(null, LocalRemoteDescriptor.Empty, LocalRemoteDescriptor.Empty))),
            Modify(version, new MediaDescriptor(Stream: new StreamParms(null, LocalRemoteDescriptor.Empty)))),
        "Local and Remote in a stream" => (
            Modify(version, new MediaDescriptor(Streams: [new StreamDescriptor(2, new StreamParms(null, LocalRemoteDescriptor.Empty, LocalRemoteDescriptor.Empty))])),
            Modify(version, new MediaDescriptor(Streams: [new StreamDescriptor(2, new StreamParms(null, null, LocalRemoteDescriptor.Empty))]))),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Empty_descriptor_survives_write_and_read_in_both_styles(string name, int version)
    {
        var (with, without) = Build(name, version);
        foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
        {
            Assert.Null(RoundTripPropertyTests.CheckRoundTrip(with, style));
            Assert.Null(RoundTripPropertyTests.CheckCanonical(with, style));
            Assert.NotEqual(MegacoTextWriter.ToText(without, style), MegacoTextWriter.ToText(with, style));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Empty_descriptor_read_from_text_survives_write_and_read(string name, int version)
    {
        var (with, without) = Build(name, version);
        foreach (var written in new[] { TextStyle.Pretty, TextStyle.Compact })
        {
            var first = Read(MegacoTextWriter.ToText(with, written));
            Assert.Equal(with, first);
            Assert.NotEqual(without, first);
            foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
            {
                var again = Read(MegacoTextWriter.ToText(first, style));
                Assert.True(ModelDiff.FirstDifference(first, again) is null, ModelDiff.FirstDifference(first, again));
            }
        }
    }

    [Theory]
    [InlineData("MEGACO/3 [192.0.2.1]\nTransaction = 1 { Context = 7 { Modify = t1 { Statistics } } }")]
    [InlineData("MEGACO/3 [192.0.2.1]\nTransaction = 1 { Context = 7 { Modify = t1 { Statistics { } } } }")]
    [InlineData("!/3 [192.0.2.1] T=1{C=7{MF=t1{SA}}}")]
    [InlineData("!/3 [192.0.2.1] T=1{C=7{MF=t1{M{ST=1{O{MO=SR},SA}}}}}")]
    public void Statistics_switched_off_in_hand_written_text_stays_switched_off(string text)
    {
        var first = Read(text);
        foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
        {
            Assert.Equal(first, Read(MegacoTextWriter.ToText(first, style)));
        }
        var modify = (AmmRequest)((TransactionRequest)first.Transactions[0]).Actions[0].Commands[0].Command;
        var statistics = modify.Descriptors[0] is MediaDescriptor media
            ? media.Streams[0].Parms.Statistics
            : (StatisticsDescriptor)modify.Descriptors[0];
        Assert.Equal(StatisticsDescriptor.Empty, statistics);
    }

    private static MegacoMessage Read(string text)
    {
        var result = MegacoTextReader.Default.Read(text);
        Assert.True(result.IsSuccess, $"{result.FirstError?.Reason} in\n{text}");
        return result.Message!;
    }

    private static MegacoMessage Modify(int version, params Descriptor[] descriptors) =>
        Message(version, new AmmRequest(AmmKind.Modify, [T1], new ValueList<Descriptor>(descriptors)));

    private static MegacoMessage Message(int version, Command command) =>
        new(version, MId.IPv4("192.0.2.1"),
            [new TransactionRequest(1, [new ActionRequest(new ContextId(7), [new CommandRequest(command)])])]);

    private static MegacoMessage AuditReplyWith(int version, Descriptor? descriptor) =>
        new(version, MId.IPv4("192.0.2.1"),
            [new TransactionReply(1, [new ActionReply(new ContextId(7), [new AuditReply(AuditKind.Value, [T1],
                descriptor is null ? [new AuditReturnItemDescriptor(AuditTokens.Media)] : [new AuditReturnItemDescriptor(AuditTokens.Media), descriptor])])])]);
}
