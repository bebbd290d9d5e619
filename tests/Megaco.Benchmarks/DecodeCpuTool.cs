using System.Globalization;
using System.Runtime.InteropServices;
using Megaco.Protocol.Text;

namespace Megaco.Benchmarks;

/// <summary>
/// <c>decode-cpu [pretty|compact] [ROUNDS] [MESSAGES]</c>: decodes the codec corpus (<see cref="BenchCorpus"/>,
/// re-written in the given style as <see cref="CodecBenchmarks"/> does) on one thread and prints, per round of
/// MESSAGES decodes, the thread's CPU time per message (CLOCK_THREAD_CPUTIME_ID) and the bytes it allocated per
/// message. Many short rounds, whose least disturbed (min) is the steadiest figure; CPU time, not wall time, so that other load on a shared machine disturbs the figure less;
/// decode-ab.sh alternates two builds of this tool to compare a change against its base.
/// </summary>
internal static class DecodeCpuTool
{
    public static bool Handles(string verb) => verb == "decode-cpu";

    public static int Run(string[] args)
    {
        var style = args.Length > 1 && args[1] == "compact" ? TextStyle.Compact : TextStyle.Pretty;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var perRound = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50_000;
        var messages = BenchCorpus.Decode(BenchCorpus.Load()).Select(m => MegacoTextWriter.ToBytes(m, style)).ToArray();
        var reader = MegacoTextReader.Default;

        // Warm up until tiered compilation has settled on the optimised code.
        for (var i = 0; i < 5; i++)
        {
            DecodeAll(reader, messages, 100_000);
            Thread.Sleep(200);
        }
        var results = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpuNanoseconds();
            DecodeAll(reader, messages, perRound);
            var ns = (ThreadCpuNanoseconds() - cpu) / (double)perRound;
            var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)perRound;
            results.Add(ns);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {ns:F1} ns/msg cpu, {bytes:F0} B/msg allocated"));
        }
        results.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{style} {messages.Length} messages mean {messages.Average(m => m.Length):F0} B: min {results[0]:F1} median {results[results.Count / 2]:F1} ns/msg cpu"));
        return 0;
    }

    private static int DecodeAll(MegacoTextReader reader, byte[][] messages, int count)
    {
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += reader.Read(messages[i % messages.Length]).Message!.Transactions.Count;
        }
        return sum;
    }

    private const int ClockThreadCpuTimeId = 3;

    private static long ThreadCpuNanoseconds()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);
}
