using BenchmarkDotNet.Attributes;
using Megaco.Protocol;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Benchmarks;

/// <summary>
/// Subtract round trips between two <see cref="TransactionManager"/>s in one process over loopback, with 1 or 32
/// requests outstanding: the cost of the transaction layer, codec and sockets together. Not the two-process
/// Add+Subtract benchmark of issue 4, which needs the MGC and MG programs.
/// </summary>
[MemoryDiagnoser]
public class TransactionBenchmarks
{
    private const int RoundTrips = 2048;

    private IMegacoTransport? _mgTransport;
    private IMegacoTransport? _mgcTransport;
    private TransactionManager? _mg;
    private TransactionManager? _mgc;

    [Params(MegacoTransportKind.Udp, MegacoTransportKind.Tcp)]
    public MegacoTransportKind Transport { get; set; }

    [Params(1, 32)]
    public int Outstanding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scheme = Transport == MegacoTransportKind.Udp ? "udp" : "tcp";
        var mgOptions = new MegacoTransportOptions { Listen = MegacoEndpoint.Parse($"{scheme}://127.0.0.1:0") };
        var mgcOptions = mgOptions;
        _mgTransport = Transport == MegacoTransportKind.Udp ? UdpTransport.Bind(mgOptions) : TcpTransport.Listen(mgOptions);
        _mgcTransport = Transport == MegacoTransportKind.Udp ? UdpTransport.Bind(mgcOptions) : TcpTransport.Listen(mgcOptions);
        _mg = new TransactionManager(_mgTransport, new SubtractUser(), new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgTransport.LocalEndpoint.EndPoint.Port) });
        _mgc = new TransactionManager(_mgcTransport, new SubtractUser(), new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgcTransport.LocalEndpoint.EndPoint.Port) });
        _mg.Start();
        _mgc.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _mgc!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mg!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mgcTransport!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mgTransport!.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task<int> SubtractRoundTrips()
    {
        var peer = _mgTransport!.LocalEndpoint;
        var next = 0;
        var completed = 0;
        async Task Lane()
        {
            while (Interlocked.Increment(ref next) <= RoundTrips)
            {
                var result = await _mgc!.SendRequestAsync(peer, SubtractUser.Request);
                if (result.HasReply)
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Outstanding).Select(_ => Lane()));
        return completed;
    }

    private sealed class SubtractUser : IMegacoUser
    {
        public static readonly ValueList<ActionRequest> Request =
            [new ActionRequest(new ContextId(1), [new CommandRequest(new SubtractRequest([new TerminationId("rtp/1")]))])];

        private static readonly TransactionAnswer Answer =
            TransactionAnswer.Replies([new ActionReply(new ContextId(1), [new AmmsReply(AmmsKind.Subtract, [new TerminationId("rtp/1")])])]);

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(Answer);
    }
}
