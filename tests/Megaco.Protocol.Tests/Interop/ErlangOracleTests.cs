using System.Text;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// Shows the Erlang oracle works on its own, before our codec exists: Erlang decodes its own corpus,
/// sees each pretty file equal to its compact twin, notices an altered message, and re-encodes.
/// </summary>
public sealed class ErlangOracleTests
{
    [Fact]
    public void EveryValidCorpusMessageDecodes()
    {
        var files = RepoPaths.OtpCorpusFiles(".pretty.txt")
            .Concat(RepoPaths.OtpCorpusFiles(".compact.txt"))
            .Concat(RepoPaths.OtpCorpusFiles(".literal.txt"))
            .Select(f => (RepoPaths.CorpusName(f), f))
            .ToList();

        var results = ErlangOracle.DecodeFiles(files);

        Assert.Equal(files.Count, results.Count);
        Assert.Empty(results.Where(r => r.Verdict != ErlangVerdict.Ok).Select(r => r.ToString()));
    }

    [Fact]
    public void EveryRejectedCorpusMessageFailsWithAReason()
    {
        var files = new[] { "v1", "v2", "v3" }
            .SelectMany(v => Directory.GetFiles(Path.Combine(RepoPaths.OtpCorpus, v, "rejected-by-erlang")))
            .Select(f => (RepoPaths.CorpusName(f), f))
            .ToList();
        Assert.NotEmpty(files);

        var results = ErlangOracle.DecodeFiles(files);

        Assert.All(results, r =>
        {
            Assert.Equal(ErlangVerdict.Error, r.Verdict);
            Assert.False(string.IsNullOrWhiteSpace(r.Detail));
        });
    }

    [Fact]
    public void EachPrettyFileEqualsItsCompactTwin()
    {
        var pairs = RepoPaths.OtpCorpusFiles(".pretty.txt")
            .Select(p => (RepoPaths.CorpusName(p), p, p[..^".pretty.txt".Length] + ".compact.txt"))
            .ToList();

        var results = ErlangOracle.EqualFiles(pairs);

        Assert.Equal(336, results.Count);
        Assert.Empty(results.Where(r => r.Verdict != ErlangVerdict.Equal).Select(r => r.ToString()));
    }

    [Fact]
    public void EqualTellsDifferencesFromWhiteSpace()
    {
        var original = Corpus("v3/001-msg01a.pretty.txt");
        var digitMap = Corpus("v3/046-rfc3525_msg8.pretty.txt");
        var pairs = new List<(string, byte[], byte[])>
        {
            ("gain", original, Replace(original, "tdmc/gain=2", "tdmc/gain=3")),
            ("sdp", original, Replace(original, "m=audio $ RTP/AVP 0", "m=audio $ RTP/AVP 8")),
            ("dropped", original, Replace(original, "tdmc/ec=g165", "tdmc/ec=off")),
            // H.248.1 Annex B digitMap allows LWSP between its elements: the one normalisation.
            ("digitmap-space", digitMap, Replace(digitMap, "(0| 00|", "( 0 |00 |")),
            ("layout", original, Replace(original, "\t", "  ")),
            ("broken", original, Encoding.ASCII.GetBytes("MEGACO/3 [1.2.3.4]:5 Transaction = {")),
        };

        var results = ErlangOracle.EqualMessages(pairs).ToDictionary(r => r.Id);

        Assert.Equal(ErlangVerdict.Diff, results["gain"].Verdict);
        Assert.Contains("PropertyParm.value", results["gain"].Detail);
        Assert.Contains("A=\"2\" B=\"3\"", results["gain"].Detail);
        Assert.Equal(ErlangVerdict.Diff, results["sdp"].Verdict);
        Assert.Equal(ErlangVerdict.Diff, results["dropped"].Verdict);
        Assert.Equal(ErlangVerdict.Equal, results["digitmap-space"].Verdict);
        Assert.Equal(ErlangVerdict.Equal, results["layout"].Verdict);
        Assert.Equal(ErlangVerdict.Error, results["broken"].Verdict);
        Assert.StartsWith("B: ", results["broken"].Detail);
    }

    [Fact]
    public void EncodeRoundTripsInBothStyles()
    {
        var names = new[] { "v1/001-msg01a", "v2/046-rfc3525_msg8", "v3/001-msg01a", "v3/175-msg81a01" };
        var jobs = names.SelectMany(n => new[]
        {
            ($"{n}>compact", Path.Combine(RepoPaths.OtpCorpus, n + ".pretty.txt"), TextStyle.Compact),
            ($"{n}>pretty", Path.Combine(RepoPaths.OtpCorpus, n + ".compact.txt"), TextStyle.Pretty),
        }).ToList();

        var encoded = ErlangOracle.EncodeFiles(jobs);

        Assert.All(encoded, r => Assert.Equal(ErlangVerdict.Ok, r.Verdict));
        Assert.All(encoded.Where(r => r.Id.EndsWith(">compact", StringComparison.Ordinal)), r => Assert.StartsWith("!/", Ascii(r.Encoded)));
        Assert.All(encoded.Where(r => r.Id.EndsWith(">pretty", StringComparison.Ordinal)), r => Assert.StartsWith("MEGACO/", Ascii(r.Encoded)));

        var back = ErlangOracle.EqualMessages(
            encoded.Select((r, i) => (r.Id, File.ReadAllBytes(jobs[i].Item2), r.Encoded!)).ToList());
        Assert.Empty(back.Where(r => r.Verdict != ErlangVerdict.Equal).Select(r => r.ToString()));
    }

    private static byte[] Corpus(string name) => File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, name));

    private static string Ascii(byte[]? bytes) => Encoding.ASCII.GetString(bytes ?? []);

    private static byte[] Replace(byte[] message, string from, string to)
    {
        var text = Encoding.ASCII.GetString(message);
        Assert.Contains(from, text);
        return Encoding.ASCII.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }
}
