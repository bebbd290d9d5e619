using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Megaco.Mg.DataPath.Msrp;

using Megaco.TestSupport;

namespace Megaco.Benchmarks;

/// <summary>
/// One MSRP SEND with a binary body of <see cref="BodySize"/> bytes, fed in 16 KB segments as socket reads
/// arrive: framing alone (events to a counting handler), rewriting To-Path/From-Path into a reused buffer,
/// and, as the baseline, copying the same bytes into that buffer, which is the least any relay does.
/// </summary>
[MemoryDiagnoser]
public class MsrpBenchmarks
{
    private const int SegmentSize = 16 * 1024;
    private const string Bob = "msrp://bob.example.com:8888/9di4eae923wzd;tcp";
    private const string Alice = "msrp://alicepc.example.com:7777/iau39soe2843z;tcp";

    private ReadOnlySequence<byte> _message;
    private MsrpFramer _framer = new();
    private MsrpPathRewriter _rewriter = new(MsrpPathMapping.Empty);
    private readonly ArrayBufferWriter<byte> _output = new(2 * 1024 * 1024);

    [Params(1024, 64 * 1024, 1024 * 1024)]
    public int BodySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var head = Encoding.ASCII.GetBytes($"MSRP bench0001 SEND\r\nTo-Path: {Bob}\r\nFrom-Path: {Alice}\r\nMessage-ID: 87652491\r\nByte-Range: 1-{BodySize}/{BodySize}\r\nContent-Type: application/octet-stream\r\n\r\n");
        var body = new byte[BodySize];
        new Random(4975).NextBytes(body);
        var tail = Encoding.ASCII.GetBytes("\r\n-------bench0001$\r\n");
        var bytes = head.Concat(body).Concat(tail).ToArray();
        _message = Segments.Of(Segments.Chunked(bytes, SegmentSize));
        _framer = new MsrpFramer();
        _rewriter = new MsrpPathRewriter(new MsrpPathMapping(new Dictionary<string, string>
        {
            [Bob] = "msrps://mg-access.example.net:2855/s8d7f6a;tcp",
            [Alice] = "msrps://alice-ue.example.net:49152/ue1x;tcp",
        }));
        Console.WriteLine($"// message: {bytes.Length} bytes");
    }

    [Benchmark(Baseline = true)]
    public long Copy()
    {
        _output.ResetWrittenCount();
        foreach (var segment in _message)
        {
            _output.Write(segment.Span);
        }
        return _output.WrittenCount;
    }

    [Benchmark]
    public long Frame()
    {
        var reader = new SequenceReader<byte>(_message);
        var handler = new CountingHandler();
        _framer.TryAdvance(ref reader, ref handler, out _);
        return handler.BodyBytes;
    }

    [Benchmark]
    public long Rewrite()
    {
        _output.ResetWrittenCount();
        var reader = new SequenceReader<byte>(_message);
        _rewriter.TryRewrite(ref reader, _output, out _);
        return _output.WrittenCount;
    }

    private struct CountingHandler : IMsrpFrameHandler
    {
        public long BodyBytes;

        public readonly void OnStartLine(MsrpStartLine startLine)
        {
        }

        public readonly MsrpFramingErrorReason OnHeader(MsrpHeaderLine header) => MsrpFramingErrorReason.None;

        public readonly MsrpFramingErrorReason OnBodyStart() => MsrpFramingErrorReason.None;

        public void OnBodySlice(ReadOnlySpan<byte> slice) => BodyBytes += slice.Length;

        public readonly MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine) => MsrpFramingErrorReason.None;
    }
}
