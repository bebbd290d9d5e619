using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.DataPath;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.DataPath;

/// <summary><see cref="Relay.DetachAsync"/>: stopped at a safe point, both connections kept, nothing lost or duplicated.</summary>
public sealed class RelayDetachTests
{
    [Fact]
    public async Task DetachingMidStreamAndRelayingAgainLosesAndDuplicatesNothing()
    {
        await using var peers = await OpenRelay(Pool());
        const int count = 4 << 20;
        long progressA = 0;
        // A paced, so every detach lands inside its stream; B at full speed, so its FIN may come (and be read
        // again by each relay after) while A still flows.
        var fromA = RandomNumberGenerator.GetBytes(count);
        var sendA = Task.Run(async () =>
        {
            for (var offset = 0; offset < count; offset += 16 << 10)
            {
                await peers.A.SendAsync(fromA.AsMemory(offset, 16 << 10), SocketFlags.None);
                Volatile.Write(ref progressA, offset + (16 << 10));
                await Task.Delay(1);
            }
            peers.A.Shutdown(SocketShutdown.Send);
            return SHA256.HashData(fromA);
        });
        var sendB = Task.Run(() => SendRandom(peers.B, count, seed: 4));
        var atB = ReceiveAll(peers.B);
        var atA = ReceiveAll(peers.A);

        // Detach and join the same two bearers again, several times while both streams flow.
        var relay = peers.Relay;
        long relayedFromA = 0, relayedFromB = 0;
        for (var round = 0; round < 5; round++)
        {
            while (Volatile.Read(ref progressA) < (round + 1) * (count / 8))
            {
                await Task.Delay(1);
            }
            var end = await Within(relay.DetachAsync(TimeSpan.FromSeconds(10)).AsTask());
            Assert.True(end.Reason == RelayEndReason.Detached, end + " in round " + round);
            Assert.True(relay.A.IsEstablished && relay.B.IsEstablished);
            // Everything read was delivered before the detach completed.
            Assert.Equal(0, relay.BufferedBytes(RelaySide.A));
            Assert.Equal(0, relay.BufferedBytes(RelaySide.B));
            relayedFromA += relay.BytesReceived(RelaySide.A);
            relayedFromB += relay.BytesReceived(RelaySide.B);
            var next = Relay.Start(relay.A, relay.B);
            if (relay != peers.Relay)
            {
                await relay.DisposeAsync();
            }
            relay = next;
        }

        var (countAtB, hashAtB) = await Within(atB);
        var (countAtA, hashAtA) = await Within(atA);
        Assert.Equal(count, countAtB);
        Assert.Equal(count, countAtA);
        Assert.Equal(await sendA, hashAtB);
        Assert.Equal(await sendB, hashAtA);
        var last = await Within(relay.Completion);
        Assert.True(last.Reason == RelayEndReason.Closed, last.ToString());
        Assert.Equal(count, relayedFromA + relay.BytesReceived(RelaySide.A));
        Assert.Equal(count, relayedFromB + relay.BytesReceived(RelaySide.B));
        await relay.DisposeAsync();
    }

    [Fact]
    public async Task ADetachedRelaySendsNoFinAndStopsReading()
    {
        await using var peers = await OpenRelay(Pool());
        await peers.A.SendAsync("before"u8.ToArray(), SocketFlags.None);
        Assert.Equal("before"u8.ToArray(), await Within(ReceiveExactly(peers.B, 6)));

        Assert.Equal(RelayEndReason.Detached, (await Within(peers.Relay.DetachAsync(TimeSpan.FromSeconds(10)).AsTask())).Reason);
        await peers.A.SendAsync("after"u8.ToArray(), SocketFlags.None);
        // Neither a FIN nor the new bytes reach B: A's bytes wait in A's bearer for its next reader.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await peers.B.ReceiveAsync(new byte[1], SocketFlags.Peek, quiet.Token));
        }
        Assert.Equal(0, peers.Relay.BytesReceived(RelaySide.A) - 6);

        // Detaching an ended relay says how it ended.
        Assert.Equal(RelayEndReason.Detached, (await peers.Relay.DetachAsync(TimeSpan.FromSeconds(1))).Reason);
        await using var again = Relay.Start(peers.Relay.A, peers.Relay.B);
        Assert.Equal("after"u8.ToArray(), await Within(ReceiveExactly(peers.B, 5)));
    }
}
