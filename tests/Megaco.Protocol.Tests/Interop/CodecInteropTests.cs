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
    public void WiresharkDecodesOurPrettyOutputWithNoComplaintTheOriginalDoesNotDrawToo()
    {
        // Only the pretty and literal sources: a compact twin is the same message, so it gives the same output.
        var messages = ValidOtpMessages().Where(m => !m.Name.EndsWith(".compact.txt", StringComparison.Ordinal)).ToList();
        var ours = messages.Select(m => Rewrite(m.Text, TextStyle.Pretty)).ToList();
        var frames = TsharkDissector.Dissect(ours);
        var originals = TsharkDissector.Dissect(messages.Select(m => m.Text).ToList());

        // Complaints that come from the content (SDP the SDP dissector dislikes) or from Wireshark's gaps
        // (v3 termination id lists, segment replies) are drawn by the original text as well; any other is ours.
        var problems = new List<string>();
        foreach (var frame in frames)
        {
            if (!frame.IsMegaco)
            {
                problems.Add($"{messages[frame.Index].Name}: not dissected as MEGACO: {frame}");
                continue;
            }
            var before = originals[frame.Index].Problems.Select(Shape).ToHashSet(StringComparer.Ordinal);
            var added = frame.Problems.Select(Shape).Where(p => !before.Contains(p) && !IsSdpContent(p, ours[frame.Index])).ToList();
            if (added.Count > 0)
            {
                problems.Add($"{messages[frame.Index].Name}: {frame}\n{Encoding.UTF8.GetString(ours[frame.Index])}");
            }
        }
        AssertNone(problems);
    }

    /// <summary>A complaint without its numbers ("Invalid token length (-48)" depends on the layout).</summary>
    private static string Shape(TsharkExpertInfo problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem.ToString(), "[0-9]+", "N");

    /// <summary>
    /// The SDP dissector's complaint about blanks the SDP itself holds (lines ending in a blank, as in some
    /// of OTP's hand-written texts). We keep SDP lines byte for byte, and once they are laid out one per
    /// line Wireshark sees them where it did not see the indented original.
    /// </summary>
    private static bool IsSdpContent(string problem, byte[] message) =>
        (problem.Contains("Invalid SDP whitespace", StringComparison.Ordinal) || problem.Contains("Exception occurred", StringComparison.Ordinal))
        && message.AsSpan().IndexOf(" \r\n"u8) >= 0;
}
