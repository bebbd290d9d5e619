using System.Net.Sockets;
using System.Text;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.MsrpAwareTests;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// An MRFP context (profile mp, more than two terminations per context): its MSRP-aware terminations are the
/// legs of one MSRP conference, driven over the H.248 wire.
/// </summary>
public sealed class ConferenceContextTests
{
    private static readonly string[] Paths =
    [
        "msrp://127.0.0.1:9/alice1;tcp",
        "msrp://127.0.0.1:9/bob1;tcp",
        "msrp://127.0.0.1:9/carol1;tcp",
    ];

    [Fact]
    public async Task ThreeParticipantsEachReceiveTheOthersMessagesOnceAndOneLeaves()
    {
        await using var wire = Start(maxTerminations: 8, profile: "mp");
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[0])), Events(1, "tcpx/est", "tcpx/lost")),
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[1])), Events(2, "tcpx/est", "tcpx/lost")),
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[2])), Events(3, "tcpx/est", "tcpx/lost")))));
        var ids = reply.Commands.AsSpan().ToArray().Select(c => c.TerminationIds[0]).ToArray();
        var mgUris = reply.Commands.AsSpan().ToArray().Select(c => Assert.Single(LocalOf(c).Path)).ToArray();
        Assert.Equal(3, mgUris.Distinct().Count());

        var clients = new Socket[3];
        try
        {
            for (var n = 0; n < 3; n++)
            {
                clients[n] = await ConnectFrom(Ue1, EndPointOf(reply.Commands[n]));
                await wire.NextEvent(ids[n], "tcpx/est");
            }
            var sentBy = new long[3];
            var receivedBy = new long[3];

            // Each participant in turn: its SEND reaches the two others with their own leg's paths; it gets a 200.
            for (var sender = 0; sender < 3; sender++)
            {
                var tid = "t" + sender + "x7Kq2";
                var body = "hello from " + sender;
                var sent = Encoding.Latin1.GetBytes(Send(tid, mgUris[sender], Paths[sender], body));
                await clients[sender].SendAsync(sent, SocketFlags.None);
                sentBy[sender] += sent.Length;
                for (var other = 0; other < 3; other++)
                {
                    if (other == sender)
                    {
                        continue;
                    }
                    var expected = Send(tid, Paths[other], mgUris[other], body);
                    Assert.Equal(expected, Encoding.Latin1.GetString(await Within(ReceiveExactly(clients[other], expected.Length))));
                    receivedBy[other] += expected.Length;
                }
                var response = await Within(ReceiveMessage(clients[sender], tid));
                Assert.StartsWith("MSRP " + tid + " 200 OK\r\n", response, StringComparison.Ordinal);
                receivedBy[sender] += response.Length;
            }

            // Bob leaves: his octets are exactly what went over his connection.
            var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(ids[1]))));
            Assert.Equal(sentBy[1], Statistic(subtract.Commands[0], "nt/or"));
            Assert.Equal(receivedBy[1], Statistic(subtract.Commands[0], "nt/os"));

            // The two left go on: Alice's next message reaches Carol alone, exactly once.
            var again = Encoding.Latin1.GetBytes(Send("a9Zr", mgUris[0], Paths[0], "still here"));
            await clients[0].SendAsync(again, SocketFlags.None);
            var toCarol = Send("a9Zr", Paths[2], mgUris[2], "still here");
            Assert.Equal(toCarol, Encoding.Latin1.GetString(await Within(ReceiveExactly(clients[2], toCarol.Length))));
            Assert.StartsWith("MSRP a9Zr 200 OK\r\n", await Within(ReceiveMessage(clients[0], "a9Zr")), StringComparison.Ordinal);

            // Carol hangs up: the engine reports her connection lost, closed by the peer.
            clients[2].Shutdown(SocketShutdown.Send);
            var lost = await Within(wire.NextEvent(ids[2], "tcpx/lost"));
            Assert.Equal("closed", lost.Parameters.AsSpan().ToArray().Single(p => p.Name.Item == "cause").Values[0]);
            Assert.Equal(0, await Within(clients[2].ReceiveAsync(new byte[16], SocketFlags.None)));

            // The last participants go and the context, with its conference, goes too.
            var end = Single(await wire.Send(Action(reply.ContextId, Subtract(ids[0]), Subtract(ids[2]))));
            Assert.Equal(again.Length + sentBy[0], Statistic(end.Commands[0], "nt/or"));
            Assert.Equal(0, wire.Engine.Ports.InUse);
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    [Fact]
    public async Task AnIsolatedPairDoesNotHearEachOtherButStillHearsTheThird()
    {
        await using var wire = Start(maxTerminations: 8, profile: "mp");
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[0])), Events(1, "tcpx/est")),
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[1])), Events(2, "tcpx/est")),
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Paths[2])), Events(3, "tcpx/est")))));
        var ids = reply.Commands.AsSpan().ToArray().Select(c => c.TerminationIds[0]).ToArray();
        var mgUris = reply.Commands.AsSpan().ToArray().Select(c => Assert.Single(LocalOf(c).Path)).ToArray();
        var clients = new Socket[3];
        try
        {
            for (var n = 0; n < 3; n++)
            {
                clients[n] = await ConnectFrom(Ue1, EndPointOf(reply.Commands[n]));
                await wire.NextEvent(ids[n], "tcpx/est");
            }
            // H.248.1 §7.1.18: Alice and Bob isolated from each other, both still bothway with Carol.
            Single(await wire.Send(new ActionRequest(reply.ContextId, [], new ContextRequest(Topology: [new TopologyTriple(ids[0], ids[1], TopologyDirection.Isolate)]))));

            await clients[0].SendAsync(Encoding.Latin1.GetBytes(Send("iso1", mgUris[0], Paths[0], "to all")), SocketFlags.None);
            var toCarol = Send("iso1", Paths[2], mgUris[2], "to all");
            Assert.Equal(toCarol, Encoding.Latin1.GetString(await Within(ReceiveExactly(clients[2], toCarol.Length))));
            Assert.StartsWith("MSRP iso1 200 OK\r\n", await Within(ReceiveMessage(clients[0], "iso1")), StringComparison.Ordinal);

            // Carol's message is the first Bob gets: Alice's never reached him.
            await clients[2].SendAsync(Encoding.Latin1.GetBytes(Send("car1", mgUris[2], Paths[2], "from carol")), SocketFlags.None);
            var toBob = Send("car1", Paths[1], mgUris[1], "from carol");
            Assert.Equal(toBob, Encoding.Latin1.GetString(await Within(ReceiveExactly(clients[1], toBob.Length))));
            var toAlice = Send("car1", Paths[0], mgUris[0], "from carol");
            Assert.Equal(toAlice, Encoding.Latin1.GetString(await Within(ReceiveExactly(clients[0], toAlice.Length))));
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    private static LocalRemoteDescriptor Peer(string path) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/MSRP *\na=setup:active\na=path:" + path + "\n");

    /// <summary>Reads one MSRP message (request or response) up to its end-line for <paramref name="transaction"/>.</summary>
    private static async Task<string> ReceiveMessage(Socket socket, string transaction)
    {
        var endLine = "-------" + transaction + "$\r\n";
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(endLine, StringComparison.Ordinal))
        {
            Assert.Equal(1, await socket.ReceiveAsync(one, SocketFlags.None));
            text.Append((char)one[0]);
            Assert.True(text.Length < 4096, "no end-line for " + transaction);
        }
        return text.ToString();
    }
}
