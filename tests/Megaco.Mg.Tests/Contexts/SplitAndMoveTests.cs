using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// One termination of a relayed pair leaves (H.248.1 §7.2.4 Subtract, §7.2.3 Move): the other keeps its
/// connection, alone and unread, and a new partner resumes the relay; nothing is lost or duplicated.
/// </summary>
public sealed class SplitAndMoveTests
{
    [Fact]
    public async Task SubtractOfOneLegKeepsThePartnerConnectedAndANewLegResumesTheRelay()
    {
        await using var wire = Start();
        var (context, a, b, clientA, clientB) = await ConnectedPair(wire);
        using var _ = clientA;
        using var __ = clientB;
        await clientA.SendAsync("a1"u8.ToArray(), SocketFlags.None);
        Assert.Equal("a1"u8.ToArray(), await Within(ReceiveExactly(clientB, 2)));
        await clientB.SendAsync("b1"u8.ToArray(), SocketFlags.None);
        Assert.Equal("b1"u8.ToArray(), await Within(ReceiveExactly(clientA, 2)));

        var subtract = Single(await wire.Send(Action(context, Subtract(b))));
        Assert.Equal(2, Statistic(subtract.Commands[0], "nt/os"));
        Assert.Equal(2, Statistic(subtract.Commands[0], "nt/or"));
        // B's peer sees its connection closed cleanly; A's peer sees nothing at all: neither FIN nor reset.
        Assert.Equal(0, await Within(clientB.ReceiveAsync(new byte[1], SocketFlags.None)));
        Assert.False(await Arrives(clientA, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, wire.Engine.ContextCount);

        // Alone, A is not read: its bytes wait for the next partner.
        await clientA.SendAsync("a2"u8.ToArray(), SocketFlags.None);
        var add = Single(await wire.Send(Action(context, Add(Media(Local("passive"), ActivePeer(Ue1)), Events(2, "tcpx/est")))));
        var c = add.Commands[0].TerminationIds[0];
        using var clientC = await ConnectFrom(Ue1, EndPointOf(add.Commands[0]));
        await wire.NextEvent(c, "tcpx/est");
        Assert.Equal("a2"u8.ToArray(), await Within(ReceiveExactly(clientC, 2)));
        await clientC.SendAsync("c1"u8.ToArray(), SocketFlags.None);
        Assert.Equal("c1"u8.ToArray(), await Within(ReceiveExactly(clientA, 2)));

        // A's statistics count both relays exactly.
        var last = Single(await wire.Send(Action(context, Subtract(a))));
        Assert.Equal(4, Statistic(last.Commands[0], "nt/os"));
        Assert.Equal(4, Statistic(last.Commands[0], "nt/or"));
    }

    [Fact]
    public async Task MoveOfARelayedLegKeepsItsConnectionAndLosesOrDuplicatesNoByte()
    {
        await using var wire = Start();
        var (first, a, b, clientA, clientB) = await ConnectedPair(wire);
        using var _ = clientA;
        using var __ = clientB;
        var lone = Single(await wire.Send(Action(ContextId.Choose, Add(Media(Local("passive"), ActivePeer(Ue1)), Events(3, "tcpx/est")))));
        var second = lone.ContextId;
        var c = lone.Commands[0].TerminationIds[0];
        using var clientC = await ConnectFrom(Ue1, EndPointOf(lone.Commands[0]));
        await wire.NextEvent(c, "tcpx/est");

        // Both A and B stream while B moves: A's stream ends up split between B (before) and D (after);
        // B's between A (before) and C (after).
        const int count = 4 * 1024 * 1024;
        var fromA = RandomNumberGenerator.GetBytes(count);
        var fromB = RandomNumberGenerator.GetBytes(count);
        var sendA = Throttled(clientA, fromA);
        var sendB = Throttled(clientB, fromB);
        var atB = new Collector(clientB);
        var atA = new Collector(clientA);
        var atC = new Collector(clientC);
        while (atB.Count < count / 4 || atA.Count < count / 4)
        {
            await Task.Delay(1);
        }
        var move = Single(await wire.Send(Action(second, new CommandRequest(new AmmRequest(AmmKind.Move, [b], [])))));
        Assert.Equal(second, move.ContextId);
        Assert.True(atB.Count < count, "the move came after A's whole stream; the test proves less than it should");

        var add = Single(await wire.Send(Action(first, Add(Media(Local("passive"), ActivePeer(Ue1)), Events(4, "tcpx/est")))));
        var d = add.Commands[0].TerminationIds[0];
        using var clientD = await ConnectFrom(Ue1, EndPointOf(add.Commands[0]));
        var atD = new Collector(clientD);

        // A's and B's FINs reach D and C; then C and D close, and their FINs reach B and A.
        await Within(Task.WhenAll(sendA, sendB, atC.Completion, atD.Completion));
        clientC.Shutdown(SocketShutdown.Send);
        clientD.Shutdown(SocketShutdown.Send);
        await Within(Task.WhenAll(atA.Completion, atB.Completion));

        Assert.Equal(SHA256.HashData(fromA), SHA256.HashData([.. atB.Bytes, .. atD.Bytes]));
        Assert.Equal(SHA256.HashData(fromB), SHA256.HashData([.. atA.Bytes, .. atC.Bytes]));
        var end = Single(await wire.Send(Action(second, Subtract(b))));
        Assert.Equal(atB.Count, Statistic(end.Commands[0], "nt/os"));
        Assert.Equal(count, Statistic(end.Commands[0], "nt/or"));
    }


    /// <summary>Sends in 16 KiB pieces with a pause between them, so a command lands mid-stream; then FIN.</summary>
    private static async Task Throttled(Socket socket, byte[] data)
    {
        for (var offset = 0; offset < data.Length; offset += 16 * 1024)
        {
            await socket.SendAsync(data.AsMemory(offset, Math.Min(16 * 1024, data.Length - offset)), SocketFlags.None);
            await Task.Delay(1);
        }
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Whether a byte or a FIN arrives within <paramref name="wait"/> (peeked, so nothing is consumed).</summary>
    private static async Task<bool> Arrives(Socket socket, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.Peek, cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads a socket until FIN, keeping every byte.</summary>
    private sealed class Collector
    {
        private readonly MemoryStream _received = new();
        private long _count;

        public Collector(Socket socket) => Completion = Task.Run(() => RunAsync(socket));

        public Task Completion { get; }

        public long Count => Volatile.Read(ref _count);

        public byte[] Bytes => _received.ToArray();

        private async Task RunAsync(Socket socket)
        {
            var buffer = new byte[64 * 1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) is var n and > 0)
            {
                _received.Write(buffer, 0, n);
                Volatile.Write(ref _count, _count + n);
            }
        }
    }
}
