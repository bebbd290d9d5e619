using System.Text;

namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// Shows the tshark judge works on its own: Erlang's valid corpus is dissected as MEGACO, and the
/// exact set of frames Wireshark 4.0 objects to is pinned, with the reason for each, so that a new
/// complaint (or one going away) is noticed.
/// </summary>
public sealed class TsharkDissectorTests
{
    private const string SdpFmtp = "Error: Invalid media format";
    private const string SdpSpace = "Error: Invalid SDP whitespace (extra space character)";
    private const string Exception = "Error: Malformed Packet (Exception occurred)";
    private const string NoDescriptor = "Warning: No Descriptor detectable";

    /// <summary>
    /// What Wireshark 4.0.17 says about messages Erlang/OTP megaco writes and reads back, and why
    /// (each checked by hand against the file):
    /// <list type="bullet">
    /// <item>001-msg01a, 002-msg01b, 003-msg02: <c>a=fmtp:PCMU VAD=X-NNVAD</c> names the format by
    /// encoding name, where RFC 4566 §6 wants the payload type number; the SDP dissector flags it.</item>
    /// <item>025..030-msg22a..f: <c>m=audio 1111 RTP/AVP  4</c> has two spaces; RFC 4566 wants one.</item>
    /// <item>051-rfc3525_msg13: RFC 3525's example as transcribed in OTP's suite has a blank before every
    /// SDP line end (<c>v=0 </c>, <c>t= 0 0 </c>); the SDP dissector flags it and then throws.</item>
    /// <item>v3 168-msg79a01: a reply <c>AuditValue = [ id, id, id ] { Error = 502 { } ... }</c> (a v3
    /// TerminationIDList): Wireshark's MEGACO dissector fails to parse it ("Invalid token length").</item>
    /// <item>v3 175..180-msg81*: v3 segment replies (<c>Segment = 8101/1</c>, <c>SM=8101/1</c>),
    /// which Wireshark's MEGACO dissector does not know.</item>
    /// <item>Compact only, 021-msg18, 023-msg20, 058-rfc3525_msg17c, 060-rfc3525_msg18a,
    /// 063-rfc3525_msg20: an empty signals descriptor <c>SG{}</c> (valid: it stops all signals) draws
    /// "No Descriptor detectable"; the pretty <c>Signals { }</c> only draws a note, which is not a problem.</item>
    /// </list>
    /// All these messages are valid H.248 (Erlang decodes them; the SDP inside Local/Remote is opaque to
    /// H.248.1), so they mark the limits of the judge, not faults in the corpus.
    /// </summary>
    internal static Dictionary<string, string[]> KnownProblems(string style)
    {
        var known = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string version, string name, params string[] problems) => known[$"{version}/{name}.{style}.txt"] = problems;
        foreach (var v in new[] { "v1", "v2", "v3" })
        {
            foreach (var name in new[] { "001-msg01a", "002-msg01b", "003-msg02" })
            {
                Add(v, name, SdpFmtp);
            }
            foreach (var name in new[] { "025-msg22a", "026-msg22b", "027-msg22c", "028-msg22d", "029-msg22e", "030-msg22f" })
            {
                Add(v, name, SdpSpace);
            }
            Add(v, "051-rfc3525_msg13", Exception, SdpSpace);
            if (style == "compact")
            {
                foreach (var name in new[] { "021-msg18", "023-msg20", "058-rfc3525_msg17c", "060-rfc3525_msg18a", "063-rfc3525_msg20" })
                {
                    Add(v, name, NoDescriptor);
                }
            }
        }
        Add("v3", "168-msg79a01", style == "pretty"
            ? "Error: Parse error: Invalid token length (-48)"
            : "Warning: No Command detectable");
        var segmentReply = style == "pretty"
            ? "Error: Sorry, can't understand errorDescriptor / transactionList = Se, can't parse it pos 33"
            : "Error: Sorry, can't understand errorDescriptor / transactionList = SM, can't parse it pos 28";
        foreach (var name in new[] { "175-msg81a01", "176-msg81a02", "177-msg81a03", "178-msg81b01", "179-msg81b02", "180-msg81b03" })
        {
            Add("v3", name, segmentReply);
        }
        return known;
    }

    [Theory]
    [InlineData("pretty")]
    [InlineData("compact")]
    public void CorpusIsDissectedAsMegacoWithOnlyTheKnownComplaints(string style)
    {
        var files = RepoPaths.OtpCorpusFiles($".{style}.txt");
        var frames = TsharkDissector.Dissect(files.Select(File.ReadAllBytes).ToList());

        Assert.Equal(files.Count, frames.Count);
        Assert.Empty(frames.Where(f => !f.IsMegaco).Select(f => $"{RepoPaths.CorpusName(files[f.Index])}: {f}"));

        var actual = frames
            .Where(f => f.IsMalformed || f.Problems.Any())
            .ToDictionary(
                f => RepoPaths.CorpusName(files[f.Index]),
                f => f.Problems.Select(p => p.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray());
        var expected = KnownProblems(style);
        Assert.Equal(
            expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" | ", e.Value.Order(StringComparer.Ordinal))}"),
            actual.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"));
    }

    [Fact]
    public void BrokenMessageIsFlaggedAndCleanOneIsNot()
    {
        var clean = File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, "v1", "005-msg04.pretty.txt"));
        var broken = Encoding.ASCII.GetBytes("MEGACO/1 [1.2.3.4]:2944\nTransaction = 1 { Context = - { Frobnicate = a { } } }");

        var frames = TsharkDissector.Dissect([clean, broken]);

        Assert.True(frames[0].IsClean, frames[0].ToString());
        Assert.True(frames[1].IsMegaco, frames[1].ToString());
        Assert.False(frames[1].IsClean, frames[1].ToString());
        Assert.NotEmpty(frames[1].Problems);
    }

    [Fact]
    public void FramesCarryAValidIpv4Checksum()
    {
        var frame = TsharkDissector.BuildUdpFrame(Encoding.ASCII.GetBytes("!/1 [1.2.3.4]"), 7);
        var ipHeader = frame.AsSpan(14, 20);

        // Summing a header with its checksum in place gives all ones, so the checksum of that is zero.
        Assert.Equal(0, TsharkDissector.Ipv4Checksum(ipHeader));
        Assert.Equal(20 + 8 + 13, (ipHeader[2] << 8) | ipHeader[3]);
        Assert.Throws<ArgumentException>(() => TsharkDissector.BuildUdpFrame(new byte[TsharkDissector.MaxUdpPayload + 1], 0));
    }
}
