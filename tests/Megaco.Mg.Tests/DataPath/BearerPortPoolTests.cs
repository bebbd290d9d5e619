using System.Net;
using System.Net.Sockets;
using Megaco.Mg.DataPath;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

public sealed class BearerPortPoolTests
{
    [Fact]
    public void ExhaustionIsAResultAndEveryPortComesBack()
    {
        var pool = Pool(size: 3);
        var leases = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        Assert.All(leases, l => Assert.True(l.IsRented));
        Assert.Equal(3, leases.Select(l => l.Lease!.EndPoint.Port).Distinct().Count());
        Assert.Equal(3, pool.InUse);

        var none = pool.Rent();
        Assert.Equal(PortRentStatus.Exhausted, none.Status);
        Assert.False(none.IsRented);

        var freed = leases[1].Lease!.EndPoint.Port;
        leases[1].Lease!.Dispose();
        leases[1].Lease!.Dispose();
        Assert.Equal(2, pool.InUse);
        var again = pool.Rent();
        Assert.True(again.IsRented);
        Assert.Equal(freed, again.Lease.EndPoint.Port);

        again.Lease.Dispose();
        leases[0].Lease!.Dispose();
        leases[2].Lease!.Dispose();
        Assert.Equal(0, pool.InUse);

        // Released means closed: the port can be bound again by anyone.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(Ue1, freed));
    }

    [Fact]
    public void APortTakenOutsideThePoolIsSkipped()
    {
        var pool = Pool(size: 2);
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(Ue1, pool.FirstPort));
        squatter.Listen();

        var rent = pool.Rent();
        Assert.True(rent.IsRented);
        Assert.Equal(pool.LastPort, rent.Lease.EndPoint.Port);
        Assert.Equal(PortRentStatus.Exhausted, pool.Rent().Status);
        rent.Lease.Dispose();
    }
}
