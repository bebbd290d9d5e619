using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// The Pidgin header grammar and the hand-written reader agree on every corpus message's version and
/// mId (a differential test of two independent implementations of the same ABNF), and the sniffer
/// still finds the header of a message whose body is broken.
/// </summary>
public sealed class VersionSnifferTests
{
    public static TheoryData<string> AllCorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.OtpCorpus, "*.txt", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(RepoPaths.OwnCorpus, "*.txt", SearchOption.AllDirectories))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCorpusFiles))]
    public void AgreesWithTheReader(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var sniffed = VersionSniffer.Sniff(bytes);
        var read = MegacoTextReader.Default.ReadHeader(bytes);
        if (read is { Version: >= 1 and <= 3 })
        {
            Assert.Equal(read, sniffed);
        }
        var full = MegacoTextReader.Default.Read(bytes);
        if (full.Message is { } message)
        {
            Assert.Equal(new MessageHeader(message.Version, message.MId), sniffed);
        }
    }

    [Theory]
    [InlineData("MEGACO/4 [1.2.3.4]:2944 T=1{C=-{N=ROOT{OE=1{g/x}}}}", 4, "1.2.3.4")]
    [InlineData("; comment\n!/2 <mg.example>:2944\nT=1{C=-{MF=t1{M{O{MO=Sideways}}}}}", 2, "mg.example")]
    [InlineData("AU=0x00000001:0x00000002:0x0102030405060708090a0b0c\n!/3 MTP{0a1b}\nT=1{", 3, "0a1b")]
    public void FindsTheHeaderOfABrokenMessage(string text, int version, string address)
    {
        var header = VersionSniffer.Sniff(System.Text.Encoding.ASCII.GetBytes(text));
        Assert.NotNull(header);
        Assert.Equal((version, address), (header.Value.Version, header.Value.MId.Address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("HELLO/1 [1.2.3.4]")]
    [InlineData("MEGACO/123 [1.2.3.4]")]
    [InlineData("MEGACO/1")]
    public void FindsNoHeaderWhereThereIsNone(string text) =>
        Assert.Null(VersionSniffer.Sniff(System.Text.Encoding.ASCII.GetBytes(text)));
}
