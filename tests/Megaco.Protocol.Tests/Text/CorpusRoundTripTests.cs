using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// read(write(read(text))) equals read(text) for every valid corpus message, in both styles, and the
/// writer is canonical: writing what it wrote and read back gives the same bytes.
/// </summary>
public sealed class CorpusRoundTripTests
{
    public static TheoryData<string, TextStyle> OtpCases()
    {
        var data = new TheoryData<string, TextStyle>();
        foreach (var file in OtpCorpusReadTests.ValidFiles())
        {
            data.Add(file, TextStyle.Pretty);
            data.Add(file, TextStyle.Compact);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OtpCases))]
    public void OtpCorpusRoundTrips(string file, TextStyle style) =>
        AssertRoundTrip(File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, file)), style, file);

    internal static void AssertRoundTrip(byte[] text, TextStyle style, string name)
    {
        var first = MegacoTextReader.Default.Read(text);
        Assert.True(first.IsSuccess, $"{name}: {first.FirstError}");
        var written = MegacoTextWriter.ToBytes(first.Message!, style);
        var second = MegacoTextReader.Default.Read(written);
        var writtenText = System.Text.Encoding.UTF8.GetString(written);
        Assert.True(second.IsSuccess, $"{name} ({style}): {second.FirstError}\n{writtenText}");
        Assert.True(first.Message == second.Message, $"{name} ({style}) differs after a round trip:\n{writtenText}\n{first.Message}\n{second.Message}");
        Assert.Equal(writtenText, System.Text.Encoding.UTF8.GetString(MegacoTextWriter.ToBytes(second.Message!, style)));
    }
}
