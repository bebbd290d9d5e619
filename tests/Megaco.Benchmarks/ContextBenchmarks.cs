using BenchmarkDotNet.Attributes;
using Megaco.Mg.Contexts;
using Megaco.Protocol;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Megaco.TestSupport;

namespace Megaco.Benchmarks;

/// <summary>
/// Context setup and teardown through H.248 (issue 5's rate, aim ≥ 5 000 per second): per context, one
/// transaction adds two listening MSRP terminations in a new context (each rents and binds a bearer port)
/// and one subtracts them with <c>Subtract = *</c>, between a test MGC and the engine over UDP loopback in
/// one process. <see cref="Outstanding"/> contexts are in flight at once.
/// </summary>
[MemoryDiagnoser]
public class ContextBenchmarks
{
    private const int Contexts = 1024;

    private static readonly LocalRemoteDescriptor Local =
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:passive\n");

    private static readonly LocalRemoteDescriptor Remote =
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/MSRP *\na=setup:active\n");

    private ValueList<ActionRequest> _setup;

    private IMegacoTransport? _mgTransport;
    private IMegacoTransport? _mgcTransport;
    private TransactionManager? _mg;
    private TransactionManager? _mgc;
    private MediaGatewayEngine? _engine;

    [Params(1, 16)]
    public int Outstanding { get; set; }

    /// <summary>With a Remote the MG listens for the peer (a bearer per leg); without, it only holds the port.</summary>
    [Params(true, false)]
    public bool WithRemote { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var add = new CommandRequest(new AmmRequest(AmmKind.Add, [TerminationId.Choose],
            [new MediaDescriptor(Stream: new StreamParms(Local: Local, Remote: WithRemote ? Remote : null))]));
        _setup = [new ActionRequest(ContextId.Choose, [add, add])];
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        var validator = new ProfileValidator(catalog, catalog.GetProfile("iq"));
        _engine = new MediaGatewayEngine(new MediaOptions { FirstPort = 21000, LastPort = 22999, MaxContexts = 1000 }, catalog, validator, new NoSink());
        _mgTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        _mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        _mg = new TransactionManager(_mgTransport, new EngineUser(_engine),
            new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgTransport.LocalEndpoint.EndPoint.Port) });
        _mgc = new TransactionManager(_mgcTransport, new EngineUser(_engine),
            new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgcTransport.LocalEndpoint.EndPoint.Port) });
        _mg.Start();
        _mgc.Start();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _mgc!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mg!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mgcTransport!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _mgTransport!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _engine!.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Contexts)]
    public async Task<int> SetUpAndTearDown()
    {
        var peer = _mgTransport!.LocalEndpoint;
        var next = 0;
        var completed = 0;
        async Task Lane()
        {
            while (Interlocked.Increment(ref next) <= Contexts)
            {
                var added = await _mgc!.SendRequestAsync(peer, _setup);
                var context = added.Reply!.Actions[0].ContextId;
                var removed = await _mgc.SendRequestAsync(peer, [new ActionRequest(context, [new CommandRequest(new SubtractRequest([TerminationId.All]))])]);
                if (removed.Reply is { Actions: [{ Error: null }] })
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Outstanding).Select(_ => Lane()));
        return completed;
    }

    private sealed class EngineUser(MediaGatewayEngine engine) : IMegacoUser
    {
        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) =>
            engine.ExecuteAsync(request, cancellationToken);
    }

    private sealed class NoSink : INotificationSink
    {
        public ValueTask NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observedEvents, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
