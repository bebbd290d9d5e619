using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>
/// Joins <see cref="FakeTransport"/>s like a bad UDP network: each message is dropped, duplicated or
/// delayed (which reorders it) at random, from a fixed seed so a failure can be replayed.
/// </summary>
internal sealed class FaultyNetwork(int seed, double loss, double duplication, int maxDelayMilliseconds)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<MegacoEndpoint, FakeTransport> _nodes = [];
    private int _dropped;
    private int _duplicated;

    public int Dropped => Volatile.Read(ref _dropped);

    public int Duplicated => Volatile.Read(ref _duplicated);

    public void Attach(FakeTransport transport)
    {
        _nodes.Add(transport.LocalEndpoint, transport);
        transport.OnSend = (peer, bytes) => Route(transport.LocalEndpoint, peer, bytes);
    }

    private void Route(MegacoEndpoint from, MegacoEndpoint to, byte[] bytes)
    {
        if (!_nodes.TryGetValue(to, out var target))
        {
            return;
        }
        int copies;
        int[] delays;
        lock (_random)
        {
            if (_random.NextDouble() < loss)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            copies = _random.NextDouble() < duplication ? 2 : 1;
            delays = [.. Enumerable.Range(0, copies).Select(_ => _random.Next(maxDelayMilliseconds + 1))];
        }
        if (copies == 2)
        {
            Interlocked.Increment(ref _duplicated);
        }
        foreach (var delay in delays)
        {
            if (delay == 0)
            {
                target.Deliver(from, bytes);
            }
            else
            {
                _ = Task.Delay(delay).ContinueWith(_ => target.Deliver(from, bytes), TaskScheduler.Default);
            }
        }
    }
}
