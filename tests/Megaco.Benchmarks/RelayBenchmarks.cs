using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Megaco.Mg.DataPath;
using Megaco.Mg.DataPath.Stages;
using Megaco.Protocol.Sdp;

namespace Megaco.Benchmarks;

/// <summary>
/// One connection's relay throughput over loopback: <see cref="TransferBytes"/> from client A through the
/// relay to client B per invocation. The baseline sends the same bytes socket to socket with no relay, so
/// the ratio is the relay's cost; the MB/s column is <see cref="TransferBytes"/> over the mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class RelayBenchmarks
{
    public const int TransferBytes = 64 * 1024 * 1024;

    private const int ChunkBytes = 256 * 1024;

    private readonly byte[] _chunk = new byte[ChunkBytes];
    private readonly byte[] _sink = new byte[ChunkBytes];
    private Socket _directA = null!;
    private Socket _directB = null!;
    private Socket _relayA = null!;
    private Socket _relayB = null!;
    private Relay _relay = null!;

    /// <summary>0: socket to socket through one pipe; 1: through a <see cref="ForwardingStage"/> (one more pipe).</summary>
    [Params(0, 1)]
    public int Stages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_chunk);
        (_directA, _directB) = Pair();

        var first = Random.Shared.Next(20_000, 31_000);
        var pool = new BearerPortPool(IPAddress.Loopback, first, first + 63);
        var options = new TcpBearerOptions { Role = SetupRole.Passive, Remote = new IPEndPoint(IPAddress.Loopback, 9) };
        var a = TcpBearer.Create(options, pool.Rent().Lease);
        var b = TcpBearer.Create(options, pool.Rent().Lease);
        var acceptA = a.EstablishAsync().AsTask();
        var acceptB = b.EstablishAsync().AsTask();
        _relayA = Connect(a.ListenEndPoint!);
        _relayB = Connect(b.ListenEndPoint!);
        Task.WaitAll(acceptA, acceptB);
        var stages = Stages;
        _relay = Relay.Start(a, b, new RelayOptions
        {
            ConfigurePath = (_, path) =>
            {
                for (var i = 0; i < stages; i++)
                {
                    path.Add(new ForwardingStage());
                }
            },
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _directA.Dispose();
        _directB.Dispose();
        _relayA.Dispose();
        _relayB.Dispose();
        _relay.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<long> SocketToSocket() => Transfer(_directA, _directB);

    [Benchmark]
    public Task<long> ThroughRelay() => Transfer(_relayA, _relayB);

    private async Task<long> Transfer(Socket from, Socket to)
    {
        var receiving = Receive(to);
        for (var sent = 0; sent < TransferBytes; sent += ChunkBytes)
        {
            await from.SendAsync(_chunk, SocketFlags.None).ConfigureAwait(false);
        }
        return await receiving.ConfigureAwait(false);
    }

    private async Task<long> Receive(Socket socket)
    {
        long received = 0;
        while (received < TransferBytes)
        {
            received += await socket.ReceiveAsync(_sink, SocketFlags.None).ConfigureAwait(false);
        }
        return received;
    }

    private static (Socket, Socket) Pair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = Connect((IPEndPoint)listener.LocalEndPoint!);
        return (client, listener.Accept());
    }

    private static Socket Connect(IPEndPoint target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(target);
        return socket;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>Megabytes (10^6 bytes) per second of one invocation's transfer, from the mean time.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => "MBps";

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Megabytes (10^6) relayed per second, one connection";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } stats
                ? (TransferBytes / (stats.Mean / 1e9) / 1e6).ToString("F0", System.Globalization.CultureInfo.InvariantCulture)
                : "-";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
