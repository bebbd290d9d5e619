using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Megaco.Mg.DataPath.Msrp;

using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>
/// <see cref="MsrpPathRewriter"/>: To-Path and From-Path URIs replaced per mapping, every other byte as it
/// came, on the RFC 4975 examples, a CEMA-style stream, random streams in random pieces, and 10 MB.
/// </summary>
public sealed class MsrpPathRewriterTests
{
    private const string Bob = "msrp://bob.example.com:8888/9di4eae923wzd;tcp";
    private const string Alice = "msrp://alicepc.example.com:7777/iau39soe2843z;tcp";
    private const string MgAccess = "msrps://mg-access.example.net:2855/s8d7f6a;tcp";
    private const string AliceUe = "msrps://alice-ue.example.net:49152/ue1x;tcp";

    public static IEnumerable<object[]> CorpusFiles() => MsrpCorpus.Names();

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Empty_mapping_is_byte_identical(string file)
    {
        var bytes = MsrpCorpus.Load(file);

        Assert.Equal(bytes, RewriteWhole(bytes, MsrpPathMapping.Empty));
        Assert.Equal(bytes, RewriteBytewise(bytes, MsrpPathMapping.Empty));
    }

    [Theory]
    [InlineData("rfc4975-s4-send.msrp")]
    [InlineData("rfc4975-s11.1-basic-im.msrp")]
    [InlineData("rfc4975-s11.5-positive-report.msrp")]
    [InlineData("chunked-continuation.msrp")]
    [InlineData("chunked-abort.msrp")]
    [InlineData("body-with-foreign-end-line.msrp")]
    public void Path_uris_are_replaced_with_their_scheme_and_nothing_else_changes(string file)
    {
        var mapping = new MsrpPathMapping(new Dictionary<string, string>
        {
            [Bob] = MgAccess,
            [Alice] = AliceUe,
            ["msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp"] = MgAccess,
            ["msrp://atlanta.example.com:7654/jshA7weztas;tcp"] = AliceUe,
        });
        var text = MsrpCorpus.Text(file);
        var expected = MsrpCorpus.Latin1(MsrpCorpus.ReplaceInPaths(
            text,
            (Bob, MgAccess),
            (Alice, AliceUe),
            ("msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp", MgAccess),
            ("msrp://atlanta.example.com:7654/jshA7weztas;tcp", AliceUe)));
        var input = MsrpCorpus.Latin1(text);

        Assert.NotEqual(input, expected);
        Assert.Equal(expected, RewriteWhole(input, mapping));
        Assert.Equal(expected, RewriteBytewise(input, mapping));
        for (int offset = 0; offset <= input.Length; offset++)
        {
            Assert.Equal(expected, RewritePieces(Segments.Split(input, offset), mapping));
        }
    }

    [Fact]
    public void Rfc4975_11_1_alice_send_is_rewritten_line_by_line()
    {
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = MgAccess, [Alice] = AliceUe });
        var input = MsrpCorpus.Load("rfc4975-s11.1-basic-im.msrp");

        var output = Encoding.Latin1.GetString(RewriteWhole(input, mapping));

        Assert.StartsWith(
            "MSRP d93kswow SEND\r\n"
            + "To-Path: msrps://mg-access.example.net:2855/s8d7f6a;tcp\r\n"
            + "From-Path: msrps://alice-ue.example.net:49152/ue1x;tcp\r\n"
            + "Message-ID: 12339sdqwer\r\n"
            + "Byte-Range: 1-16/16\r\n"
            + "Content-Type: text/plain\r\n"
            + "\r\n"
            + "Hi, I'm Alice!\r\n"
            + "-------d93kswow$\r\n"
            + "MSRP d93kswow 200 OK\r\n"
            + "To-Path: msrps://alice-ue.example.net:49152/ue1x;tcp\r\n",
            output);
    }

    [Fact]
    public void Uris_compare_as_rfc4975_6_1_says()
    {
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = MgAccess });
        string Rewrite(string toPath) => Encoding.Latin1.GetString(RewriteWhole(
            MsrpCorpus.Latin1($"MSRP cmp00001 SEND\r\nTo-Path: {toPath}\r\nFrom-Path: {Alice}\r\n-------cmp00001$\r\n"), mapping));

        Assert.Contains("To-Path: " + MgAccess + "\r\n", Rewrite("MSRP://BOB.Example.COM:8888/9di4eae923wzd;TCP"), StringComparison.Ordinal);
        Assert.Contains("To-Path: msrp://bob.example.com:8888/9DI4EAE923WZD;tcp\r\n", Rewrite("msrp://bob.example.com:8888/9DI4EAE923WZD;tcp"), StringComparison.Ordinal);
        Assert.Contains("To-Path: msrp://bob.example.com:8889/9di4eae923wzd;tcp\r\n", Rewrite("msrp://bob.example.com:8889/9di4eae923wzd;tcp"), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_uri_of_a_relayed_path_is_mapped_on_its_own_and_spacing_is_kept()
    {
        var mapping = new MsrpPathMapping(new Dictionary<string, string>
        {
            ["msrps://bob.example.com:8888/9di4eae923wzd;tcp"] = "msrp://mg-core.example.net:2856/q1w2e3;tcp",
        });
        var input = MsrpCorpus.Latin1("MSRP rly00001 REPORT\r\nTo-Path: msrps://alicepc.example.com:7777/iau39soe2843z;tcp\r\n"
            + "From-Path:  msrps://relay.example.net:2855/x1;tcp \tmsrps://bob.example.com:8888/9di4eae923wzd;tcp  \r\nStatus: 000 200 OK\r\n-------rly00001$\r\n");

        var output = Encoding.Latin1.GetString(RewriteWhole(input, mapping));

        Assert.Contains("\r\nFrom-Path:  msrps://relay.example.net:2855/x1;tcp \tmsrp://mg-core.example.net:2856/q1w2e3;tcp  \r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cema_stream_passes_unchanged_when_the_mg_stays_agnostic()
    {
        // RFC 6714: with CEMA the endpoints' own URIs are in the paths and the MG rewrites nothing; even a
        // mapping for the MG's own URIs finds nothing to replace.
        var bytes = MsrpCorpus.Load("cema-rfc6714-style.msrp");
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = MgAccess, [Alice] = AliceUe });

        Assert.Equal(bytes, RewriteWhole(bytes, MsrpPathMapping.Empty));
        Assert.Equal(bytes, RewriteWhole(bytes, mapping));
    }

    [Fact]
    public void Other_headers_named_like_paths_are_not_touched()
    {
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = MgAccess });
        var input = MsrpCorpus.Latin1($"MSRP oth00001 SEND\r\nTo-Path: {Alice}\r\nFrom-Path: {Alice}\r\nX-To-Path: {Bob}\r\nUse-Path: {Bob}\r\n\r\n{Bob}\r\n-------oth00001$\r\n");

        Assert.Equal(input, RewriteWhole(input, mapping));
    }

    [Fact]
    public void A_rewritten_path_longer_than_the_limit_is_an_error()
    {
        var longUri = "msrps://" + new string('h', 150) + ".example.net:2855/s;tcp";
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = longUri });
        var rewriter = new MsrpPathRewriter(mapping, new MsrpLimits { MaxHeaderLineLength = 128 });
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(MsrpCorpus.Load("rfc4975-s11.1-basic-im.msrp")));

        Assert.False(rewriter.TryRewrite(ref reader, new ArrayBufferWriter<byte>(), out var error));
        Assert.Equal(MsrpFramingErrorReason.RewrittenHeaderTooLong, error.Reason);
        Assert.Equal("MSRP d93kswow SEND\r\n".Length, error.Offset);
    }

    [Fact]
    public void Mapping_refuses_what_is_not_an_msrp_uri()
    {
        Assert.Throws<ArgumentException>(() => new MsrpPathMapping(new Dictionary<string, string> { ["sip:bob@example.com"] = MgAccess }));
        Assert.Throws<ArgumentException>(() => new MsrpPathMapping(new Dictionary<string, string> { [Bob] = "msrp://a b.example:1/s;tcp" }));
        Assert.Throws<ArgumentException>(() => new MsrpPathMapping(new Dictionary<string, string> { [Bob] = "msrp://a.example:1/s" }));
    }

    [Fact]
    public async Task Pipes_end_cleanly_between_messages_and_report_a_truncated_message()
    {
        var whole = MsrpCorpus.Load("rfc4975-s11.1-basic-im.msrp");

        var (output, error) = await RunThroughPipes([whole], MsrpPathMapping.Empty);
        Assert.False(error.IsError);
        Assert.Equal(whole, output);

        var (_, truncated) = await RunThroughPipes([whole.AsMemory(0, whole.Length - 5)], MsrpPathMapping.Empty);
        Assert.Equal(MsrpFramingErrorReason.Truncated, truncated.Reason);

        var (_, malformed) = await RunThroughPipes([MsrpCorpus.Latin1("MSRP a786hjs2 SEND\n")], MsrpPathMapping.Empty);
        Assert.Equal(MsrpFramingErrorReason.MissingCrlf, malformed.Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Random_streams_in_random_pieces_come_out_as_the_expected_rewrite(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 25; round++)
        {
            var (input, expected) = RandomStream.Generate(random, messages: random.Next(1, 12));
            var pieces = RandomPieces(random, input);

            var (output, error) = await RunThroughPipes(pieces, RandomStream.Mapping);

            Assert.False(error.IsError, $"seed {seed} round {round}: {error}");
            Assert.Equal(expected, output);
            Assert.Equal(expected, RewritePieces(pieces, RandomStream.Mapping));
        }
    }

    [Fact]
    public async Task A_10_MB_chunk_is_relayed_through_pipes_with_its_path_rewritten()
    {
        const int bodyLength = 10 * 1024 * 1024;
        var head = MsrpCorpus.Latin1($"MSRP big0000001 SEND\r\nTo-Path: {Bob}\r\nFrom-Path: {Alice}\r\nMessage-ID: big\r\nByte-Range: 1-*/*\r\nContent-Type: application/octet-stream\r\n\r\n");
        var body = new byte[bodyLength];
        new Random(6714).NextBytes(body);
        var tail = MsrpCorpus.Latin1("\r\n-------big0000001$\r\n");
        var mapping = new MsrpPathMapping(new Dictionary<string, string> { [Bob] = MgAccess, [Alice] = AliceUe });

        var input = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var rewriter = new MsrpPathRewriter(mapping);
        var run = Task.Run(() => rewriter.RunAsync(input.Reader, output.Writer));
        var write = Task.Run(async () =>
        {
            await input.Writer.WriteAsync(head);
            for (int offset = 0; offset < bodyLength; offset += 16 * 1024)
            {
                await input.Writer.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, bodyLength - offset)));
            }
            await input.Writer.WriteAsync(tail);
            await input.Writer.CompleteAsync();
        });

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        int maxBuffered = 0;
        while (true)
        {
            var read = await output.Reader.ReadAsync();
            foreach (var segment in read.Buffer)
            {
                hash.AppendData(segment.Span);
            }
            total += read.Buffer.Length;
            maxBuffered = Math.Max(maxBuffered, rewriter.Framer.BufferedBytes);
            output.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        await write;
        Assert.False((await run).IsError);

        var expectedHead = MsrpCorpus.Latin1(Encoding.Latin1.GetString(head).Replace(Bob, MgAccess, StringComparison.Ordinal).Replace(Alice, AliceUe, StringComparison.Ordinal));
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        expectedHash.AppendData(expectedHead);
        expectedHash.AppendData(body);
        expectedHash.AppendData(tail);
        Assert.Equal(expectedHead.Length + bodyLength + tail.Length, total);
        Assert.Equal(expectedHash.GetHashAndReset(), hash.GetHashAndReset());
        Assert.InRange(maxBuffered, 0, 256);
    }

    private static byte[] RewriteWhole(byte[] input, MsrpPathMapping mapping) => RewritePieces([input], mapping);

    private static byte[] RewriteBytewise(byte[] input, MsrpPathMapping mapping) => RewritePieces(Segments.Bytewise(input), mapping);

    private static byte[] RewritePieces(IEnumerable<ReadOnlyMemory<byte>> pieces, MsrpPathMapping mapping)
    {
        var rewriter = new MsrpPathRewriter(mapping);
        var output = new ArrayBufferWriter<byte>();
        foreach (var piece in pieces)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(piece));
            Assert.True(rewriter.TryRewrite(ref reader, output, out var error), error.ToString());
        }
        Assert.True(rewriter.Framer.IsAtMessageBoundary);
        return output.WrittenSpan.ToArray();
    }

    private static List<ReadOnlyMemory<byte>> RandomPieces(Random random, byte[] input)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (int offset = 0; offset < input.Length;)
        {
            int length = Math.Min(input.Length - offset, random.Next(4) == 0 ? random.Next(1, 4) : random.Next(1, 700));
            pieces.Add(input.AsMemory(offset, length));
            offset += length;
        }
        return pieces;
    }

    private static async Task<(byte[] Output, MsrpFramingError Error)> RunThroughPipes(IReadOnlyList<ReadOnlyMemory<byte>> pieces, MsrpPathMapping mapping)
    {
        var input = new Pipe();
        var output = new Pipe();
        var run = Task.Run(() => new MsrpPathRewriter(mapping).RunAsync(input.Reader, output.Writer));
        var write = Task.Run(async () =>
        {
            foreach (var piece in pieces)
            {
                var flush = await input.Writer.WriteAsync(piece);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
            await input.Writer.CompleteAsync();
        });

        var collected = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await output.Reader.ReadAsync();
            foreach (var segment in read.Buffer)
            {
                collected.Write(segment.Span);
            }
            output.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        await output.Reader.CompleteAsync();
        await write;
        return (collected.WrittenSpan.ToArray(), await run);
    }
}
