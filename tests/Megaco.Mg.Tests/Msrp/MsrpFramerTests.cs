using System.Buffers;
using System.Text;
using Megaco.Mg.DataPath.Msrp;

using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>
/// <see cref="MsrpFramer"/> on the RFC 4975 examples and hand-written streams: the events, their
/// independence from how the input is split, chunk flags, bodies that quote end-lines, a 10 MB chunk in
/// bounded memory, and the framing errors.
/// </summary>
public sealed class MsrpFramerTests
{
    public static IEnumerable<object[]> CorpusFiles() => MsrpCorpus.Names();

    [Fact]
    public void Rfc4975_11_1_basic_session_frames_into_its_events()
    {
        var (events, error) = RecordingHandler.FramePerCall([MsrpCorpus.Load("rfc4975-s11.1-basic-im.msrp")]);

        Assert.False(error.IsError);
        Assert.Equal(
            [
                "start request d93kswow SEND | MSRP d93kswow SEND",
                "header To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp",
                "header From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
                "header Message-ID: 12339sdqwer",
                "header Byte-Range: 1-16/16",
                "header Content-Type: text/plain",
                "body-start",
                "body Hi, I'm Alice!",
                "end $ d93kswow | \\r\\n-------d93kswow$\\r\\n",
                "start response d93kswow 200 | MSRP d93kswow 200 OK",
                "header To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
                "header From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp",
                "end $ d93kswow | -------d93kswow$\\r\\n",
                "start request dkei38sd SEND | MSRP dkei38sd SEND",
                "header To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
                "header From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp",
                "header Message-ID: 456s9wlk3",
                "header Byte-Range: 1-21/21",
                "header Content-Type: text/plain",
                "body-start",
                "body Hi, Alice! I'm Bob!",
                "end $ dkei38sd | \\r\\n-------dkei38sd$\\r\\n",
                "start response dkei38sd 200 | MSRP dkei38sd 200 OK",
                "header To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp",
                "header From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
                "end $ dkei38sd | -------dkei38sd$\\r\\n",
            ],
            events);
    }

    [Fact]
    public void Rfc4975_11_5_report_has_no_body_and_ends_after_its_headers()
    {
        var (events, error) = RecordingHandler.FramePerCall([MsrpCorpus.Load("rfc4975-s11.5-positive-report.msrp")]);

        Assert.False(error.IsError);
        Assert.Equal(
            [
                "start request dkei38sd REPORT | MSRP dkei38sd REPORT",
                "header To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
                "header From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp",
                "header Message-ID: 12339sdqwer",
                "header Byte-Range: 1-106/106",
                "header Status: 000 200 OK",
                "end $ dkei38sd | -------dkei38sd$\\r\\n",
            ],
            events[^7..]);
        Assert.Contains("body <html><body>\r\n<p>Here is that important link...\r\n<a href=\"http://www.example.com/foobar\">foobar</a>\r\n</p>\r\n</body></html>", events);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_file_frames_cleanly_and_ends_between_messages(string file)
    {
        var bytes = MsrpCorpus.Load(file);
        var framer = new MsrpFramer();
        var handler = new RecordingHandler();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.True(framer.TryAdvance(ref reader, ref handler, out var error), error.ToString());
        Assert.True(reader.End);
        Assert.True(framer.IsAtMessageBoundary);
        Assert.Equal(0, framer.BufferedBytes);
        Assert.Equal(bytes.Length, framer.StreamOffset);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Split_at_every_offset_gives_the_same_events(string file)
    {
        var bytes = MsrpCorpus.Load(file);
        var expected = RecordingHandler.FramePerCall([bytes]);

        for (int offset = 0; offset <= bytes.Length; offset++)
        {
            var pieces = Segments.Split(bytes, offset);
            AssertSameFraming(expected, RecordingHandler.FramePerCall(pieces));
            AssertSameFraming(expected, RecordingHandler.FrameAsSequence(pieces));
        }
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void One_byte_segments_give_the_same_events(string file)
    {
        var bytes = MsrpCorpus.Load(file);
        var expected = RecordingHandler.FramePerCall([bytes]);
        var pieces = Segments.Bytewise(bytes);

        AssertSameFraming(expected, RecordingHandler.FramePerCall(pieces));
        AssertSameFraming(expected, RecordingHandler.FrameAsSequence(pieces));
    }

    [Fact]
    public void Continuation_chunks_carry_plus_until_the_last_carries_dollar()
    {
        var (events, error) = RecordingHandler.FramePerCall([MsrpCorpus.Load("chunked-continuation.msrp")]);

        Assert.False(error.IsError);
        Assert.Equal(
            ["end + chunk1xyz", "end + chunk2xyz", "end $ chunk3xyz"],
            events.Where(e => e.StartsWith("end ", StringComparison.Ordinal)).Select(e => e[..e.IndexOf(" |", StringComparison.Ordinal)]));
        Assert.Equal(
            ["body This is the first chunk of", "body a message that goes on in", "body three chunks, the end."],
            events.Where(e => e.StartsWith("body ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Abort_flag_ends_the_chunk_and_the_stream_goes_on()
    {
        var (events, error) = RecordingHandler.FramePerCall([MsrpCorpus.Load("chunked-abort.msrp")]);

        Assert.False(error.IsError);
        Assert.Contains("end # abrt0002 | \\r\\n-------abrt0002#\\r\\n", events);
        Assert.Equal("start response abrt0001 200 | MSRP abrt0001 200 OK", events[^4]);
    }

    [Fact]
    public void End_line_text_of_another_transaction_inside_a_body_is_body()
    {
        var text = MsrpCorpus.Text("body-with-foreign-end-line.msrp");
        var (events, error) = RecordingHandler.FramePerCall([MsrpCorpus.Latin1(text)]);

        Assert.False(error.IsError);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var bodyEnd = text.LastIndexOf("\r\n-------outer777$\r\n", StringComparison.Ordinal);
        Assert.Equal("body " + text[bodyStart..bodyEnd], Assert.Single(events, e => e.StartsWith("body ", StringComparison.Ordinal)));
        Assert.Equal("end $ outer777 | \\r\\n-------outer777$\\r\\n", events[^1]);
    }

    [Fact]
    public void Empty_body_is_a_body_start_and_an_end_line()
    {
        var bytes = MsrpCorpus.Latin1("MSRP empty001 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\nFrom-Path: msrp://b.example:2/t;tcp\r\nContent-Type: text/plain\r\n\r\n\r\n-------empty001$\r\n");

        var (events, error) = RecordingHandler.FramePerCall([bytes]);

        Assert.False(error.IsError);
        Assert.Equal(["body-start", "end $ empty001 | \\r\\n-------empty001$\\r\\n"], events[^2..]);
    }

    [Fact]
    public void A_10_MB_chunk_streams_through_without_being_held()
    {
        const int bodyLength = 10 * 1024 * 1024;
        var head = MsrpCorpus.Latin1("MSRP big0000001 SEND\r\nTo-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\nFrom-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp\r\nMessage-ID: big\r\nByte-Range: 1-10485760/10485760\r\nContent-Type: application/octet-stream\r\n\r\n");
        var body = new byte[bodyLength];
        new Random(4975).NextBytes(body);
        var decoy = Encoding.ASCII.GetBytes("\r\n-------big0000002$\r\n\r\n-------big000000");
        for (int i = 0; i + decoy.Length < bodyLength; i += 4099)
        {
            decoy.CopyTo(body, i);
        }
        var tail = MsrpCorpus.Latin1("\r\n-------big0000001+\r\n");

        var framer = new MsrpFramer();
        var handler = new CountingHandler();
        int maxBuffered = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Feed(head, 64 * 1024);
        Feed(body, 64 * 1024 - 7);
        Feed(tail, 5);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(bodyLength, handler.BodyBytes);
        Assert.Equal(MsrpEndFlag.Continued, handler.LastFlag);
        Assert.True(framer.IsAtMessageBoundary);
        // Never more than one header line, or one partly matched end-line (at most 2 + 7 + 32 + 3 bytes).
        Assert.InRange(maxBuffered, 0, 256);
        Assert.InRange(allocated, 0, 4 * 1024);

        void Feed(byte[] bytes, int segment)
        {
            for (int offset = 0; offset < bytes.Length; offset += segment)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, offset, Math.Min(segment, bytes.Length - offset)));
                Assert.True(framer.TryAdvance(ref reader, ref handler, out _));
                maxBuffered = Math.Max(maxBuffered, framer.BufferedBytes);
            }
        }
    }

    public static TheoryData<string, MsrpFramingErrorReason> Malformed() => new()
    {
        { "HELLO a786hjs2 SEND\r\n", MsrpFramingErrorReason.BadStartLine },
        { "\r\nMSRP a786hjs2 SEND\r\n", MsrpFramingErrorReason.BadStartLine },
        { "MSRP a786hjs2 send\r\n", MsrpFramingErrorReason.BadStartLine },
        { "MSRP a786hjs2 20 OK\r\n", MsrpFramingErrorReason.BadStartLine },
        { "MSRP a786hjs2\r\n", MsrpFramingErrorReason.BadStartLine },
        { "MSRP abc SEND\r\n", MsrpFramingErrorReason.InvalidTransactionId },
        { "MSRP .abc SEND\r\n", MsrpFramingErrorReason.InvalidTransactionId },
        { "MSRP ab/cd SEND\r\n", MsrpFramingErrorReason.InvalidTransactionId },
        { "MSRP " + new string('t', 33) + " SEND\r\n", MsrpFramingErrorReason.TransactionIdTooLong },
        { "MSRP a786hjs2 SEND " + new string('x', 300) + "\r\n", MsrpFramingErrorReason.StartLineTooLong },
        { "MSRP a786hjs2 SEND" + new string('x', 300), MsrpFramingErrorReason.StartLineTooLong },
        { "MSRP a786hjs2 SEND\n", MsrpFramingErrorReason.MissingCrlf },
        { "MSRP a786hjs2 SEND\rTo-Path: msrp://a.example:1/s;tcp\r\n", MsrpFramingErrorReason.MissingCrlf },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\n", MsrpFramingErrorReason.MissingCrlf },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.exa\0mple:1/s;tcp\r\n", MsrpFramingErrorReason.NulByte },
        { "MSRP a786\0hjs2 SEND\r\n", MsrpFramingErrorReason.NulByte },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\x01\r\n", MsrpFramingErrorReason.ControlCharacter },
        { "MSRP a786hjs2 SEND\r\nNo colon here\r\n", MsrpFramingErrorReason.BadHeaderLine },
        { "MSRP a786hjs2 SEND\r\n: empty name\r\n", MsrpFramingErrorReason.BadHeaderLine },
        { "MSRP a786hjs2 SEND\r\nTo Path: msrp://a.example:1/s;tcp\r\n", MsrpFramingErrorReason.BadHeaderLine },
        { "MSRP a786hjs2 SEND\r\nX-Long: " + new string('v', 9000) + "\r\n", MsrpFramingErrorReason.HeaderLineTooLong },
        { "MSRP a786hjs2 SEND\r\nX-Long: " + new string('v', 9000), MsrpFramingErrorReason.HeaderLineTooLong },
        { "MSRP a786hjs2 SEND\r\n" + string.Concat(Enumerable.Repeat("X-H: v\r\n", 101)), MsrpFramingErrorReason.TooManyHeaders },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\n-------zzzzzzzz$\r\n", MsrpFramingErrorReason.BadEndLine },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\n-------a786hjs2!\r\n", MsrpFramingErrorReason.BadEndLine },
        { "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\n-------a786hjs2$$\r\n", MsrpFramingErrorReason.BadEndLine },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_is_a_framing_error_with_its_reason_however_it_is_split(string text, MsrpFramingErrorReason reason)
    {
        var bytes = MsrpCorpus.Latin1(text);

        var whole = RecordingHandler.FramePerCall([bytes]);
        Assert.Equal(reason, whole.Error.Reason);
        Assert.InRange(whole.Error.Offset, 0, bytes.Length);
        for (int offset = 0; offset <= bytes.Length; offset += Math.Max(1, bytes.Length / 97))
        {
            Assert.Equal(reason, RecordingHandler.FramePerCall(Segments.Split(bytes, offset)).Error.Reason);
        }
        Assert.Equal(reason, RecordingHandler.FramePerCall(Segments.Bytewise(bytes)).Error.Reason);
    }

    [Fact]
    public void A_faulted_framer_stays_faulted_until_reset()
    {
        var framer = new MsrpFramer();
        var handler = new RecordingHandler();
        var bad = new SequenceReader<byte>(new ReadOnlySequence<byte>(MsrpCorpus.Latin1("BOGUS\r\n")));
        Assert.False(framer.TryAdvance(ref bad, ref handler, out var first));

        var good = new SequenceReader<byte>(new ReadOnlySequence<byte>(MsrpCorpus.Load("rfc4975-s4-send.msrp")));
        Assert.False(framer.TryAdvance(ref good, ref handler, out var second));
        Assert.Equal(first, second);

        framer.Reset();
        good = new SequenceReader<byte>(new ReadOnlySequence<byte>(MsrpCorpus.Load("rfc4975-s4-send.msrp")));
        Assert.True(framer.TryAdvance(ref good, ref handler, out _));
    }

    [Fact]
    public void The_line_error_offset_is_where_the_offending_line_starts()
    {
        var text = "MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\nbad line\r\n";

        var (_, error) = RecordingHandler.FramePerCall([MsrpCorpus.Latin1(text)]);

        Assert.Equal(new MsrpFramingError(MsrpFramingErrorReason.BadHeaderLine, text.IndexOf("bad", StringComparison.Ordinal)), error);
    }

    [Fact]
    public void Limits_reject_values_outside_their_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsrpLimits { MaxTransactionIdLength = 33 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsrpLimits { MaxHeaderCount = 0 });
        Assert.Equal(
            MsrpFramingErrorReason.TransactionIdTooLong,
            RecordingHandler.FramePerCall([MsrpCorpus.Latin1("MSRP abcdefghi SEND\r\n")], new MsrpLimits { MaxTransactionIdLength = 8 }).Error.Reason);
    }

    private static void AssertSameFraming((List<string> Events, MsrpFramingError Error) expected, (List<string> Events, MsrpFramingError Error) actual)
    {
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Events, actual.Events);
    }

    private struct CountingHandler : IMsrpFrameHandler
    {
        public long BodyBytes;
        public MsrpEndFlag LastFlag;

        public readonly void OnStartLine(MsrpStartLine startLine)
        {
        }

        public readonly MsrpFramingErrorReason OnHeader(MsrpHeaderLine header) => MsrpFramingErrorReason.None;

        public readonly MsrpFramingErrorReason OnBodyStart() => MsrpFramingErrorReason.None;

        public void OnBodySlice(ReadOnlySpan<byte> slice) => BodyBytes += slice.Length;

        public MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine)
        {
            LastFlag = endLine.Flag;
            return MsrpFramingErrorReason.None;
        }
    }
}
