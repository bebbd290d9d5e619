using System.Buffers;
using BenchmarkDotNet.Attributes;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Benchmarks;

/// <summary>
/// Mean time per message to decode and to encode, cycling through the corpus (see <see cref="BenchCorpus"/>);
/// each invocation handles <see cref="Batch"/> messages, so the reported mean is per message.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int Batch = 1024;

    private byte[][] _messages = [];
    private MegacoMessage[] _models = [];
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);

    [Params(TextStyle.Pretty, TextStyle.Compact)]
    public TextStyle Style { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var corpus = BenchCorpus.Load();
        // Decode reads each message as written in the requested style, so pretty and compact are measured apart.
        _models = BenchCorpus.Decode(corpus).ToArray();
        _messages = _models.Select(m => MegacoTextWriter.ToBytes(m, Style)).ToArray();
        Console.WriteLine($"// corpus: {_messages.Length} messages, mean {_messages.Average(m => m.Length):F0} bytes ({Style})");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Decode()
    {
        var reader = MegacoTextReader.Default;
        var messages = _messages;
        var sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += reader.Read(messages[i % messages.Length]).Message!.Transactions.Count;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Encode()
    {
        var models = _models;
        var sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            _output.ResetWrittenCount();
            MegacoTextWriter.Write(models[i % models.Length], _output, Style);
            sum += _output.WrittenCount;
        }
        return sum;
    }
}
