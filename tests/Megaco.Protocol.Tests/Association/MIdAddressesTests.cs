using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Association;

/// <summary>MgcIdToTry and ServiceChangeAddress as domain names (H.248.1 §7.2.8, Annex B domainName): resolved, bounded in time.</summary>
public sealed class MIdAddressesTests
{
    private static readonly MegacoEndpoint UdpV4 = MegacoEndpoint.Parse("udp://127.0.0.1:2944");
    private static readonly MegacoEndpoint TcpV6 = MegacoEndpoint.Parse("tcp://[::1]:2944");

    [Fact]
    public async Task ADomainNameResolvesToAnAddressOfTheTransportsFamilyWithTheDefaultPort()
    {
        MIdResolver resolver = (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Parse("127.0.0.2") });

        var v4 = await MIdAddresses.ResolveAsync(MId.Domain("mgc.test"), UdpV4, resolver, TimeSpan.FromSeconds(5), CancellationToken.None);
        var v6 = await MIdAddresses.ResolveAsync(MId.Domain("mgc.test", 2950), TcpV6, resolver, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.2:2944"), v4);
        Assert.Equal(MegacoEndpoint.Parse("tcp://[::1]:2950"), v6);
    }

    [Fact]
    public async Task ANameThatDoesNotResolveInTimeOrAtAllIsNull()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        MIdResolver never = (_, _) => new TaskCompletionSource<IPAddress[]>().Task;
        MIdResolver unknown = (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        MIdResolver otherFamily = (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback });

        var started = Environment.TickCount64;
        Assert.Null(await MIdAddresses.ResolveAsync(MId.Domain("slow.test"), UdpV4, never, TimeSpan.FromMilliseconds(100), cts.Token));
        Assert.InRange(Environment.TickCount64 - started, 0, 5_000);
        Assert.Null(await MIdAddresses.ResolveAsync(MId.Domain("none.test"), UdpV4, unknown, TimeSpan.FromSeconds(5), cts.Token));
        Assert.Null(await MIdAddresses.ResolveAsync(MId.Domain("v6only.test"), UdpV4, otherFamily, TimeSpan.FromSeconds(5), cts.Token));
        // A device name is no address at all.
        Assert.Null(await MIdAddresses.ResolveAsync(MId.Device("mgc/1"), UdpV4, unknown, TimeSpan.FromSeconds(5), cts.Token));
    }

    [Fact]
    public async Task LiteralsAndLocalhostNeedNoResolver()
    {
        MIdResolver fails = (name, _) => throw new InvalidOperationException("asked for " + name);

        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.9:2960"),
            await MIdAddresses.ResolveAsync(MId.IPv4("127.0.0.9", 2960), UdpV4, fails, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.1:2944"),
            await MIdAddresses.ResolveAsync(MId.Domain("LocalHost"), UdpV4, fails, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task TheSystemResolverFindsALoopbackNameAndTheCallersCancellationIsNotSwallowed()
    {
        // The real resolver (no network needed: localhost is answered locally, RFC 6761 §6.3).
        var addresses = await Dns.GetHostAddressesAsync("localhost");
        Assert.Contains(addresses, a => IPAddress.IsLoopback(a));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        MIdResolver never = (_, _) => new TaskCompletionSource<IPAddress[]>().Task;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            MIdAddresses.ResolveAsync(MId.Domain("slow.test"), UdpV4, never, TimeSpan.FromSeconds(5), cancelled.Token));
    }

    [Fact]
    public async Task AServiceChangeAddressByNameMovesTheControlEndpoint()
    {
        MIdResolver resolver = (name, _) => Task.FromResult(name == "mgc-b.test" ? new[] { IPAddress.Parse("127.0.0.3") } : []);

        var moved = await MIdAddresses.ApplyAsync(new ServiceChangeAddress(MId.Domain("mgc-b.test", 2999)), UdpV4, resolver, TimeSpan.FromSeconds(5), CancellationToken.None);
        var kept = await MIdAddresses.ApplyAsync(new ServiceChangeAddress(MId.Domain("gone.test")), UdpV4, resolver, TimeSpan.FromSeconds(5), CancellationToken.None);
        var port = await MIdAddresses.ApplyAsync(new ServiceChangeAddress(Port: 3000), UdpV4, resolver, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.3:2999"), moved);
        Assert.Equal(UdpV4, kept);
        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.1:3000"), port);
    }
}
