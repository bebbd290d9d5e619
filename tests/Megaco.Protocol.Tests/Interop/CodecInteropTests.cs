using System.Text;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// Our codec against peers no one here wrote: what we write is decoded by Erlang/OTP megaco to the
/// same term as the original, what Erlang's encoders write is read by us, and Wireshark's dissector
/// decodes our pretty output.
/// </summary>
public sealed class CodecInteropTests
{
    private static IReadOnlyList<(string Name, byte[] Text)> ValidOtpMessages() =>
        ((IEnumerable<string>)Text.OtpCorpusReadTests.ValidFiles())
            .Select(f => (Name: (string)f, Text: File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, (string)f))))
            .ToList();

    private static void AssertNone(IEnumerable<string> failures)
    {
        var list = failures.ToList();
        Assert.True(list.Count == 0, $"{list.Count} failures:\n" + string.Join("\n", list));
    }

    private static byte[] Rewrite(byte[] text, TextStyle style)
    {
        var read = MegacoTextReader.Default.Read(text);
        Assert.True(read.IsSuccess, read.FirstError?.ToString());
        return MegacoTextWriter.ToBytes(read.Message!, style);
    }

    [Theory]
    [InlineData(TextStyle.Pretty)]
    [InlineData(TextStyle.Compact)]
    public void ErlangDecodesWhatWeWriteToTheSameTerm(TextStyle style)
    {
        var messages = ValidOtpMessages();
        var results = ErlangOracle.EqualMessages(messages.Select(m => (m.Name, m.Text, Rewrite(m.Text, style))).ToList());

        Assert.Equal(messages.Count, results.Count);
        AssertNone(results.Where(r => r.Verdict != ErlangVerdict.Equal).Select(r => $"{r.Id}: {r.Verdict} {r.Detail}"));
    }

    [Theory]
    [InlineData(TextStyle.Pretty)]
    [InlineData(TextStyle.Compact)]
    public void WeReadWhatErlangWrites(TextStyle style)
    {
        var messages = ValidOtpMessages();
        var encoded = ErlangOracle.EncodeMessages(messages.Select(m => (m.Name, m.Text, style)).ToList());
        AssertNone(encoded.Where(r => r.Verdict != ErlangVerdict.Ok).Select(r => $"{r.Id}: {r.Verdict} {r.Detail}"));

        // Erlang's text is read by us; writing it back, Erlang still sees the term it started from.
        var failures = new List<string>();
        var pairs = new List<(string, byte[], byte[])>();
        foreach (var result in encoded)
        {
            var read = MegacoTextReader.Default.Read(result.Encoded!);
            if (!read.IsSuccess)
            {
                failures.Add($"{result.Id}: {read.FirstError}\n{Encoding.UTF8.GetString(result.Encoded!)}");
                continue;
            }
            pairs.Add((result.Id, result.Encoded!, MegacoTextWriter.ToBytes(read.Message!, style)));
        }
        AssertNone(failures);
        var equal = ErlangOracle.EqualMessages(pairs);
        AssertNone(equal.Where(r => r.Verdict != ErlangVerdict.Equal).Select(r => $"{r.Id}: {r.Verdict} {r.Detail}"));
    }

    [Fact]
    public void WiresharkDecodesOurPrettyOutput()
    {
        // Only the pretty sources: their compact twins are the same message, so they give the same output.
        var messages = ValidOtpMessages().Where(m => !m.Name.EndsWith(".compact.txt", StringComparison.Ordinal)).ToList();
        var ours = messages.Select(m => Rewrite(m.Text, TextStyle.Pretty)).ToList();
        var frames = TsharkDissector.Dissect(ours);

        // The complaints Wireshark has about Erlang's own pretty text that come from the message content
        // (SDP the SDP dissector dislikes) or from Wireshark's gaps (v3 termination id lists and segment
        // replies) stay; anything else would be ours.
        var known = TsharkDissectorTests.KnownProblems("pretty");
        var problems = frames
            .Where(f => !f.IsMegaco || f.IsMalformed || f.Problems.Any())
            .Select(f => (Name: messages[f.Index].Name, Frame: f))
            .Where(p => !known.ContainsKey(p.Name))
            .Select(p => $"{p.Name}: {p.Frame}\n{Encoding.UTF8.GetString(ours[p.Frame.Index])}");
        AssertNone(problems);
    }
}
