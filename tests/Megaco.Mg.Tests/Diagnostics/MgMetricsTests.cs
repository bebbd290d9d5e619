using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Mg.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Diagnostics;

/// <summary>The data path's instruments, observed through a MeterListener scoped to one IMeterFactory.</summary>
public sealed class MgMetricsTests
{
    [Fact]
    public async Task RelayReportsBytesConnectionsPortsAndErrors()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += "/" + tag.Value;
            }
            totals.AddOrUpdate(key, value, (_, old) => old + value);
        });
        listener.Start();
        var metrics = new MgMetrics(factory);
        var first = Random.Shared.Next(20_000, 31_000);
        var pool = new BearerPortPool(Ue1, first, first + 63, metrics);

        var peers = await OpenRelay(pool, new RelayOptions { Metrics = metrics });
        Assert.Equal(2, totals["mg.bearer.ports.in_use"]);
        Assert.Equal(2, totals["mg.connections.active"]);

        await peers.A.SendAsync(new byte[1000], SocketFlags.None);
        await peers.B.SendAsync(new byte[500], SocketFlags.None);
        peers.A.Shutdown(SocketShutdown.Send);
        peers.B.Shutdown(SocketShutdown.Send);
        await Within(ReceiveAll(peers.A));
        await Within(ReceiveAll(peers.B));
        Assert.Equal(RelayEndReason.Closed, (await Within(peers.Relay.Completion)).Reason);
        await peers.DisposeAsync();

        Assert.Equal(1500, totals["mg.relay.bytes/in"]);
        Assert.Equal(1500, totals["mg.relay.bytes/out"]);
        Assert.Equal(0, totals["mg.connections.active"]);
        Assert.Equal(0, totals["mg.bearer.ports.in_use"]);

        await using var latched = Passive(pool, latching: true, metrics: metrics, keepRefusing: true);
        var establishing = latched.EstablishAsync();
        using var ue = await ConnectFrom(Ue2, latched.ListenEndPoint!);
        await Within(establishing.AsTask());
        Assert.True(await IsRefused(Ue3, latched.ListenEndPoint!));
        Assert.Equal(1, totals["mg.relay.errors/refused"]);
    }
}
