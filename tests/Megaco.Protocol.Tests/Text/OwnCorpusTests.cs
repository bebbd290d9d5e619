using Megaco.Protocol.Errors;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// Our own corpus (tests/corpus): RFC 3525's examples with their errata corrected and hand-written
/// messages for every construct read and round-trip in both styles; each invalid message is refused
/// with the code, line, column and transaction id in invalid/EXPECTED.tsv.
/// </summary>
public sealed class OwnCorpusTests
{
    public static TheoryData<string> ValidFiles() => Files(rel =>
        (rel.StartsWith("rfc3525/", StringComparison.Ordinal) && !rel.Contains("as-published", StringComparison.Ordinal))
        || rel.StartsWith("handwritten/", StringComparison.Ordinal));

    public static TheoryData<string> LenientFiles() => Files(rel => rel.StartsWith("lenient/", StringComparison.Ordinal));

    /// <summary>Unambiguous departures from the ABNF that deployed stacks send are read (tests/corpus/README.md).</summary>
    [Theory]
    [MemberData(nameof(LenientFiles))]
    public void ReadsTheLenientCatalogue(string file) => ReadsAndRoundTripsInBothStyles(file);

    public static TheoryData<string> InvalidFiles() => Files(rel => rel.StartsWith("invalid/", StringComparison.Ordinal));

    private static TheoryData<string> Files(Func<string, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.OwnCorpus, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(RepoPaths.OwnCorpus, file).Replace(Path.DirectorySeparatorChar, '/');
            if (filter(rel))
            {
                data.Add(rel);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void ReadsAndRoundTripsInBothStyles(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.OwnCorpus, file));
        CorpusRoundTripTests.AssertRoundTrip(bytes, TextStyle.Pretty, file);
        CorpusRoundTripTests.AssertRoundTrip(bytes, TextStyle.Compact, file);
    }

    private static readonly Dictionary<string, (int Code, int Line, int Column, uint? TransactionId)> Expected = LoadExpected();

    private static Dictionary<string, (int, int, int, uint?)> LoadExpected()
    {
        var map = new Dictionary<string, (int, int, int, uint?)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.OwnCorpus, "invalid", "EXPECTED.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            map["invalid/" + f[0]] = (int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), f[5] == "-" ? null : uint.Parse(f[5]));
        }
        return map;
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void RefusesEachInvalidMessageWithCodeAndPlace(string file)
    {
        var result = MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(RepoPaths.OwnCorpus, file)));
        var error = result.FirstError;
        Assert.NotNull(error);
        Assert.Equal(Expected[file], ((int)error.Code, error.Line, error.Column, error.TransactionId));
    }

    [Fact]
    public void EveryInvalidFileHasAnExpectation() =>
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), ((IEnumerable<string>)InvalidFiles()).Order(StringComparer.Ordinal));

    [Fact]
    public void ASecondBrokenTransactionLeavesTheFirstDecoded()
    {
        var result = MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(RepoPaths.OwnCorpus, "invalid", "second-transaction-broken.txt")));
        Assert.NotNull(result.Message);
        var good = Assert.Single(result.Message.Transactions);
        Assert.Equal(19u, ((Megaco.Protocol.Model.TransactionRequest)good).TransactionId);
        Assert.Equal(H248ErrorCode.SyntaxErrorInTransactionRequest, Assert.Single(result.TransactionErrors).Code);
    }
}
