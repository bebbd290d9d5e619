using BenchmarkDotNet.Attributes;
using Megaco.Protocol.Text;

namespace Megaco.Benchmarks;

/// <summary>
/// The same job, reading a message's version and mId, done by the Pidgin grammar (<see cref="VersionSniffer"/>)
/// and by the hand-written reader; with the full decode beside them for scale. This is the measurement
/// behind writing the decode path by hand.
/// </summary>
[MemoryDiagnoser]
public class HeaderBenchmarks
{
    private const int Batch = 1024;
    private byte[][] _messages = [];

    [GlobalSetup]
    public void Setup() => _messages = BenchCorpus.Load().ToArray();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int HandWrittenHeader()
    {
        var sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += MegacoTextReader.Default.ReadHeader(_messages[i % _messages.Length])!.Value.Version;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int PidginHeader()
    {
        var sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += VersionSniffer.Sniff(_messages[i % _messages.Length])!.Value.Version;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int FullDecode()
    {
        var sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += MegacoTextReader.Default.Read(_messages[i % _messages.Length]).Message!.Version;
        }
        return sum;
    }
}
