using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Transactions;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Megaco.Protocol.Tests.Association;

/// <summary>
/// MGs and MGCs on <see cref="FakeTransport"/>s joined by an in-memory network whose links can be cut, all on one
/// <see cref="FakeTimeProvider"/>. A message to an endpoint no one attached, or to or from a cut one, is lost.
/// </summary>
internal sealed class AssociationNetwork : IAsyncDisposable
{
    private readonly Dictionary<MegacoEndpoint, FakeTransport> _nodes = [];
    private readonly HashSet<MegacoEndpoint> _down = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<TransactionManager> _managers = [];
    private long _routed;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A request is sent 3 times over 1 + 2 + 4 = 7 s before it times out.</summary>
    public static TransactionOptions Transactions(int port) => new()
    {
        MId = MId.IPv4("127.0.0.1", (ushort)port),
        RequestTimer = new RetransmitSchedule(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero, TimeSpan.FromSeconds(4), 2),
        Workers = 1,
    };

    public static MegacoEndpoint Udp(int port) => MegacoEndpoint.Parse($"udp://127.0.0.1:{port}");

    public static MId MIdOf(int port) => MId.IPv4("127.0.0.1", (ushort)port);

    public FakeTransport Attach(int port)
    {
        var transport = new FakeTransport(Udp(port));
        lock (_nodes)
        {
            _nodes.Add(transport.LocalEndpoint, transport);
        }
        transport.OnSend = (to, bytes) => Route(transport.LocalEndpoint, to, bytes);
        return transport;
    }

    /// <summary>Cuts (or restores) every message to and from <paramref name="port"/>.</summary>
    public void SetDown(int port, bool down)
    {
        lock (_nodes)
        {
            if (down)
            {
                _down.Add(Udp(port));
            }
            else
            {
                _down.Remove(Udp(port));
            }
        }
    }

    public (MgAssociation Association, RecordingMgUser User, FakeTransport Transport) Mg(int port, MgAssociationOptions options, MId? mid = null)
    {
        var transport = Attach(port);
        var user = new RecordingMgUser();
        var transactions = Transactions(port) with { Version = options.Version, MId = mid ?? MIdOf(port) };
        var association = new MgAssociation(transport, transactions, options, user, Time);
        _owned.Add(association);
        Track(association.Manager);
        association.Start();
        return (association, user, transport);
    }

    public (MgcRegistry Registry, RecordingMgcUser User, FakeTransport Transport) Mgc(int port, MgcRegistryOptions options)
    {
        var transport = Attach(port);
        var user = new RecordingMgcUser();
        var registry = new MgcRegistry(transport, Transactions(port) with { Version = options.Version }, options, user, Time);
        _owned.Add(registry);
        Track(registry.Manager);
        registry.Start();
        return (registry, user, transport);
    }

    /// <summary>A manager whose processing <see cref="Until"/> waits for before moving the clock.</summary>
    public void Track(TransactionManager manager)
    {
        lock (_managers)
        {
            _managers.Add(manager);
        }
    }

    /// <summary>
    /// Advances the fake clock in <paramref name="step"/>s until <paramref name="condition"/> holds (bounded in real
    /// time). Before each step it lets the managers process every message already on the network, so that a loaded
    /// machine does not see timers fire that an idle one would not.
    /// </summary>
    public async Task Until(Func<bool> condition, string what, TimeSpan? step = null, int realTimeoutMilliseconds = 15_000)
    {
        var deadline = Environment.TickCount64 + realTimeoutMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            var settle = Environment.TickCount64 + 500;
            do
            {
                await Task.Delay(5);
            }
            while (!Settled() && Environment.TickCount64 < settle);
            if (!condition())
            {
                Time.Advance(step ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private bool Settled()
    {
        lock (_managers)
        {
            return _managers.Sum(m => m.MessagesProcessed) >= Interlocked.Read(ref _routed);
        }
    }

    private void Route(MegacoEndpoint from, MegacoEndpoint to, byte[] bytes)
    {
        FakeTransport? target;
        lock (_nodes)
        {
            if (_down.Contains(from) || _down.Contains(to) || !_nodes.TryGetValue(to, out target))
            {
                return;
            }
        }
        Interlocked.Increment(ref _routed);
        target.Deliver(from, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }
    }
}
