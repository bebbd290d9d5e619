using System.Net.Sockets;
using System.Text;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>MSRP-aware mode (<c>a=path:$</c> in both Locals): the MG fills its own URI per leg and rewrites To-Path and From-Path between legs.</summary>
public sealed class MsrpAwareTests
{
    private const string Alice = "msrp://127.0.0.1:9/alice1;tcp";
    private const string Bob = "msrp://127.0.0.1:9/bob1;tcp";

    [Fact]
    public async Task PathsAreRewrittenBetweenLegsAndEverythingElsePasses()
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Alice))),
            Add(Media(Local("passive", extra: "a=path:$\n"), Peer(Bob)), Events(1, "tcpx/est")))));
        var localA = LocalOf(reply.Commands[0]);
        var localB = LocalOf(reply.Commands[1]);
        var mgOnA = Assert.Single(localA.Path);
        var mgOnB = Assert.Single(localB.Path);
        Assert.StartsWith("msrp://127.0.0.1:" + localA.Port + "/", mgOnA, StringComparison.Ordinal);
        Assert.NotEqual(mgOnA, mgOnB);

        using var clientA = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        using var clientB = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await wire.NextEvent(reply.Commands[1].TerminationIds[0], "tcpx/est");

        var sent = Send("a7Hw2sd1", mgOnA, Alice, "hello");
        await clientA.SendAsync(Encoding.Latin1.GetBytes(sent), SocketFlags.None);
        var expected = Send("a7Hw2sd1", Bob, mgOnB, "hello");
        var received = Encoding.Latin1.GetString(await Within(ReceiveExactly(clientB, expected.Length)));
        Assert.Equal(expected, received);

        var answer = Send("b8Jq4xe2", mgOnB, Bob, "hi back");
        await clientB.SendAsync(Encoding.Latin1.GetBytes(answer), SocketFlags.None);
        var expectedAnswer = Send("b8Jq4xe2", Alice, mgOnA, "hi back");
        Assert.Equal(expectedAnswer, Encoding.Latin1.GetString(await Within(ReceiveExactly(clientA, expectedAnswer.Length))));
    }

    private static LocalRemoteDescriptor Peer(string path) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/MSRP *\na=setup:active\na=path:" + path + "\n");

    /// <summary>An RFC 4975 §7.1 SEND with the given paths and a text body.</summary>
    internal static string Send(string transaction, string toPath, string fromPath, string body) =>
        "MSRP " + transaction + " SEND\r\n"
        + "To-Path: " + toPath + "\r\n"
        + "From-Path: " + fromPath + "\r\n"
        + "Message-ID: m-" + transaction + "\r\n"
        + "Byte-Range: 1-" + body.Length + "/" + body.Length + "\r\n"
        + "Content-Type: text/plain\r\n"
        + "\r\n"
        + body + "\r\n"
        + "-------" + transaction + "$\r\n";
}
