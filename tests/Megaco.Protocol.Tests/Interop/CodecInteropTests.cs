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
    /// <summary>
    /// Files of our corpus that are valid per Annex B but that Erlang/OTP megaco 4.4.2 refuses (each with
    /// the ABNF that allows it in tests/corpus/README.md, "Erlang disagrees"); they take part in every test
    /// here but the Erlang ones.
    /// </summary>
    private static readonly HashSet<string> ErlangRefuses = new(StringComparer.Ordinal)
    {
        "own/rfc3525/19-mgc-modify-stop-ringing.txt",
        "own/rfc3525/21-mgc-modify-sendreceive.txt",
        "own/handwritten/v1/51-signals-empty.txt",
        "own/handwritten/v1/16-context-audit.txt",
        "own/handwritten/v1/49-servicechange-extension-method.txt",
        "own/handwritten/v1/50-sdp-escaped-brace.txt",
        "own/handwritten/v1/52-comment-with-dquote.txt",
        "own/handwritten/v3/05b-context-audit-select-logic.txt",
    };

    /// <summary>
    /// Messages Erlang/OTP megaco 4.4.2 decodes but its own encoders cannot write back: an 8-digit MTP
    /// address (its encoder checks for 4), an extension Mux type (X-ABC), and a v3 topology triple whose
    /// direction is OnewayExternal alone (its encoder wants a base direction beside it).
    /// </summary>
    private static readonly HashSet<string> ErlangCannotEncode = new(StringComparer.Ordinal)
    {
        "own/handwritten/v1/08-mid-mtp-address.txt",
        "own/handwritten/v1/38-mux.txt",
        "own/handwritten/v3/04-topology-v3.txt",
    };

    /// <summary>Every valid message: Erlang's corpus and ours (names of ours start with "own/").</summary>
    private static IReadOnlyList<(string Name, byte[] Text)> ValidMessages() =>
        ((IEnumerable<string>)Text.OtpCorpusReadTests.ValidFiles())
            .Select(f => (Name: f, Text: File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, f))))
            .Concat(((IEnumerable<string>)Text.OwnCorpusTests.ValidFiles())
                .Select(f => (Name: "own/" + f, Text: File.ReadAllBytes(Path.Combine(RepoPaths.OwnCorpus, f)))))
            .ToList();

    private static IReadOnlyList<(string Name, byte[] Text)> ErlangReadableMessages() =>
        ValidMessages().Where(m => !ErlangRefuses.Contains(m.Name)).ToList();

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
        var messages = ErlangReadableMessages();
        var results = ErlangOracle.EqualMessages(messages.Select(m => (m.Name, m.Text, Rewrite(m.Text, style))).ToList());

        Assert.Equal(messages.Count, results.Count);
        AssertNone(results.Where(r => r.Verdict != ErlangVerdict.Equal).Select(r => $"{r.Id}: {r.Verdict} {r.Detail}"));
    }

    [Theory]
    [InlineData(TextStyle.Pretty)]
    [InlineData(TextStyle.Compact)]
    public void WeReadWhatErlangWrites(TextStyle style)
    {
        var messages = ErlangReadableMessages();
        var encoded = ErlangOracle.EncodeMessages(messages.Select(m => (m.Name, m.Text, style)).ToList());
        AssertNone(encoded.Where(r => r.Verdict != ErlangVerdict.Ok && !ErlangCannotEncode.Contains(r.Id)).Select(r => $"{r.Id}: {r.Verdict} {r.Detail}"));
        Assert.Equal(ErlangCannotEncode.Order(StringComparer.Ordinal),
            encoded.Where(r => r.Verdict != ErlangVerdict.Ok).Select(r => r.Id).Order(StringComparer.Ordinal));
        encoded = encoded.Where(r => r.Verdict == ErlangVerdict.Ok).ToList();

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
        var messages = ValidMessages().Where(m => !m.Name.EndsWith(".compact.txt", StringComparison.Ordinal)).ToList();
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
            var added = frame.Problems
                .Where(p => !IsKnownDissectorGap(p, ours[frame.Index]))
                .Select(Shape)
                .Where(p => !before.Contains(p) && !IsSdpContent(p, ours[frame.Index]))
                .ToList();
            if (added.Count > 0)
            {
                problems.Add($"{messages[frame.Index].Name}: {frame}\n{Encoding.UTF8.GetString(ours[frame.Index])}");
            }
        }
        AssertNone(problems);
    }

    /// <summary>
    /// What Wireshark 4.0's MEGACO dissector cannot follow in valid text, whoever writes it: v3 segment
    /// replies ("transactionList = Se..."), and, as a warning only, a descriptor written without braces
    /// (bare Events, EventBuffer, Statistics, a Modem type list) on a line of its own.
    /// </summary>
    private static bool IsKnownDissectorGap(TsharkExpertInfo problem, byte[] message) =>
        (problem.Message.Contains("can't understand errorDescriptor / transactionList", StringComparison.Ordinal)
            && message.AsSpan().IndexOf("Segment"u8) >= 0)
        || (problem.Severity == TsharkSeverity.Warning && problem.Message == "No Descriptor detectable");

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
