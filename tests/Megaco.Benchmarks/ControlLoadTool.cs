using System.Diagnostics;
using System.Globalization;
using System.Text;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Benchmarks;

/// <summary>
/// The two-process control benchmark of issue 4: this process is the MGC (an <see cref="MgcRegistry"/> on
/// loopback), the MG is a separate <c>Megaco.Mg</c> process started here. Once the MG has registered, workers
/// keep <c>--outstanding</c> Add+Subtract pairs in flight for <c>--seconds</c>: each pair is an Add of
/// <c>--terminations</c> MSRP terminations to a new context (Local <c>$</c>, the MG rents a port and listens)
/// and a Subtract of the context's terminations. Prints pairs per second, the p50/p99 time of a pair, and the
/// CPU each process spent per pair (utime+stime from /proc), each process's context switches per pair and this
/// process's (the MGC's) allocated bytes per pair.
/// <c>control-load --mg PATH/Megaco.Mg.dll [--transport udp|tcp] [--encoding pretty|compact] [--outstanding 32]
/// [--seconds 10] [--warmup 10] [--terminations 1] [--version 3]</c>
/// </summary>
internal static class ControlLoadTool
{
    public static bool Handles(string verb) => verb == "control-load";

    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var mgPath = Option("mg", "");
        if (!File.Exists(mgPath))
        {
            await Console.Error.WriteLineAsync("control-load needs --mg PATH/Megaco.Mg.dll (a Release build)");
            return 2;
        }
        var transport = Option("transport", "udp");
        var style = Enum.Parse<TextStyle>(Option("encoding", "compact"), ignoreCase: true);
        var outstanding = int.Parse(Option("outstanding", "32"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option("seconds", "10"), CultureInfo.InvariantCulture);
        var terminations = int.Parse(Option("terminations", "1"), CultureInfo.InvariantCulture);
        var version = int.Parse(Option("version", "3"), CultureInfo.InvariantCulture);
        // Long enough for tiered compilation (tier 0, PGO instrumentation, tier 1) to settle in both processes under load:
        // until then the JIT's background thread is a good part of the CPU measured.
        var warmup = double.Parse(Option("warmup", "10"), CultureInfo.InvariantCulture);

        var mgcPort = FreePort();
        var mgPort = FreePort();
        var mgcEndpoint = MegacoEndpoint.Parse($"{transport}://127.0.0.1:{mgcPort}");
        var transportOptions = new MegacoTransportOptions { Listen = mgcEndpoint };
        await using IMegacoTransport wire = transport == "tcp" ? TcpTransport.Listen(transportOptions) : UdpTransport.Bind(transportOptions);
        var user = new LoadUser();
        await using var registry = new MgcRegistry(wire,
            new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)mgcPort), Version = version, Style = style },
            new MgcRegistryOptions { AllowRegistration = true, Version = version }, user);
        registry.Start();

        var repo = Megaco.TestSupport.RepoPaths.RepoRoot;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            mgPath, "--listen", $"{transport}://127.0.0.1:{mgPort}", "--mgc", mgcEndpoint.ToString(),
            "--encoding", style.ToString(), "--version", version.ToString(CultureInfo.InvariantCulture),
            "--Profile:Directory=" + Path.Combine(repo, "profiles"), "--Logging:LogLevel:Default=Warning",
            "--Media:FirstPort=20000", "--Media:LastPort=39999", "--Media:MaxContexts=10000",
            "--Media:MaxTerminationsPerContext=" + Math.Max(2, terminations),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var mg = Process.Start(start) ?? throw new InvalidOperationException("could not start the MG");
        mg.OutputDataReceived += (_, _) => { };
        mg.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine("mg: " + line); } };
        mg.BeginOutputReadLine();
        mg.BeginErrorReadLine();
        try
        {
            var registered = await user.Registered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var add = AddActions(terminations);

            // Warm both processes (JIT tiers, pools) before measuring.
            await RunPairsAsync(registered, add, outstanding, TimeSpan.FromSeconds(warmup), null);
            var latencies = new List<long>[outstanding];
            var cpuMg0 = ProcessCpu(mg.Id);
            var cpuMgc0 = ProcessCpu(Environment.ProcessId);
            var switchesMg0 = ContextSwitches(mg.Id);
            var switchesMgc0 = ContextSwitches(Environment.ProcessId);
            var allocated0 = GC.GetTotalAllocatedBytes(precise: false);
            var clock = Stopwatch.StartNew();
            var (pairs, failures) = await RunPairsAsync(registered, add, outstanding, TimeSpan.FromSeconds(seconds), latencies);
            var elapsed = clock.Elapsed.TotalSeconds;
            var cpuMg = ProcessCpu(mg.Id) - cpuMg0;
            var cpuMgc = ProcessCpu(Environment.ProcessId) - cpuMgc0;
            var switchesMg = ContextSwitches(mg.Id) - switchesMg0;
            var switchesMgc = ContextSwitches(Environment.ProcessId) - switchesMgc0;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated0;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1e6 / Stopwatch.Frequency;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{transport} {style} v{version} outstanding={outstanding} terminations={terminations}: {pairs} pairs in {elapsed:F1} s = {pairs / elapsed:F0} pairs/s; " +
                $"pair p50 {Percentile(0.50):F0} us p99 {Percentile(0.99):F0} us; CPU per pair MGC {cpuMgc.TotalMicroseconds / pairs:F0} us, MG {cpuMg.TotalMicroseconds / pairs:F0} us, both {(cpuMgc + cpuMg).TotalMicroseconds / pairs:F0} us; " +
                $"context switches per pair MGC {(double)switchesMgc / pairs:F1}, MG {(double)switchesMg / pairs:F1}; MGC allocation per pair {allocated / Math.Max(1, pairs)} B; failures {failures}"));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            mg.Kill(entireProcessTree: true);
            await mg.WaitForExitAsync();
        }
    }

    private static async Task<(long Pairs, long Failures)> RunPairsAsync(RegisteredMg mg, ValueList<ActionRequest> add, int outstanding, TimeSpan duration, List<long>[]? latencies)
    {
        long pairs = 0, failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, outstanding).Select(w => Task.Run(async () =>
        {
            var mine = latencies is null ? null : latencies[w] = new List<long>(100_000);
            while (Stopwatch.GetTimestamp() < until)
            {
                var begin = Stopwatch.GetTimestamp();
                var added = await mg.SendRequestAsync(add, CancellationToken.None);
                if (added.Reply is not { Error: null } reply || reply.Actions is not [{ Error: null } action, ..])
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                var subtract = new ActionRequest(action.ContextId, [new CommandRequest(new SubtractRequest([TerminationId.All]))]);
                var subtracted = await mg.SendRequestAsync([subtract], CancellationToken.None);
                if (subtracted.Reply is not { Error: null } done || done.Actions is not [{ Error: null }, ..])
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                mine?.Add(Stopwatch.GetTimestamp() - begin);
                Interlocked.Increment(ref pairs);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (pairs, failures);
    }

    /// <summary>Context <c>$</c> with <paramref name="count"/> terminations <c>$</c>, each asking the MG to listen for an MSRP peer.</summary>
    private static ValueList<ActionRequest> AddActions(int count)
    {
        var text = new StringBuilder("MEGACO/3 [127.0.0.1]:2945 Transaction = 1 { Context = $ {");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(
                "Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive }, Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:passive\n} } } }");
        }
        text.Append("} }");
        var read = MegacoTextReader.Default.Read(Encoding.ASCII.GetBytes(text.ToString()));
        return ((TransactionRequest)read.Message!.Transactions[0]).Actions;
    }

    private static TimeSpan ProcessCpu(int pid)
    {
        // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (proc(5)); the comm field may hold spaces, so split after ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>Voluntary and involuntary context switches of the process's live threads (proc(5) /proc/PID/task/TID/status):
    /// a figure the other load on a shared machine disturbs less than CPU time.</summary>
    private static long ContextSwitches(int pid)
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return total;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private sealed class LoadUser : IMgcUser
    {
        public TaskCompletionSource<RegisteredMg> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnMgRegisteredAsync(RegisteredMg mg, CancellationToken cancellationToken)
        {
            Registered.TrySetResult(mg);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnMgRestartedAsync(RegisteredMg mg, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnMgLostAsync(RegisteredMg mg, string reason, CancellationToken cancellationToken)
        {
            Console.Error.WriteLine("MG lost: " + reason);
            return ValueTask.CompletedTask;
        }

        public ValueTask<TransactionAnswer> HandleRequestAsync(RegisteredMg mg, IncomingRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TransactionAnswer.Failed(Megaco.Protocol.Errors.H248ErrorCode.NotImplemented));
    }
}
