using Megaco.Mg.DataPath;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

/// <summary>Counts this process's sockets, so it runs alone: nothing else may open sockets meanwhile.</summary>
[CollectionDefinition(nameof(ResourceTests), DisableParallelization = true)]
public sealed class ResourceTestsCollection;

[Collection(nameof(ResourceTests))]
public sealed class ResourceTests
{
    [Fact]
    public async Task AThousandRelaysSetUpAndTornDownLeaveNoSocketAndNoPort()
    {
        var pool = Pool(size: 64);
        var before = OpenSockets();

        for (var i = 0; i < 1000; i++)
        {
            var peers = await OpenRelay(pool);
            await peers.A.SendAsync(new byte[] { (byte)i }, System.Net.Sockets.SocketFlags.None);
            Assert.Equal((byte)i, (await ReceiveExactly(peers.B, 1))[0]);
            await peers.DisposeAsync();
        }

        Assert.Equal(0, pool.InUse);
        Assert.Equal(before, OpenSockets());
    }
}
