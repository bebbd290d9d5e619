using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Megaco.Mg.Tests.Tls;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.ConferenceWire;
using static Megaco.Mg.Tests.Contexts.TlsTerminationTests;
using static Megaco.Mg.Tests.Contexts.Wire;
using Megaco.Mg.Tests.DataPath;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// 10 MB MSRP messages (RFC 4975 §5.1: sent in several chunks, or whole in one) over TLS legs the MG terminates,
/// MSRP-aware: every byte arrives as sent except To-Path and From-Path, which each leg rewrites; in an e2ae
/// relay (TLS towards the UE, clear towards the core) and in an MRFP conference.
/// </summary>
public sealed class LargeMessageTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;
    private const string Alice = "msrps://127.0.0.1:9/alice1;tcp";
    private const string Bob = "msrp://127.0.0.1:9/bob1;tcp";
    private const string Carol = "msrps://127.0.0.1:9/carol1;tcp";

    [Fact]
    public async Task E2ae_a_10_mb_message_in_chunks_and_whole_crosses_a_tls_leg_byte_exact_but_for_the_paths()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = Start();
        var reply = await AddAll(wire, PskParticipant(Alice), TcpParticipant(Bob));
        var mgOnAlice = Assert.Single(LocalOf(reply.Commands[0]).Path);
        var mgOnBob = Assert.Single(LocalOf(reply.Commands[1]).Path);
        using var bob = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var alice = StartClient(EndPointOf(reply.Commands[0]), PskArguments("-tls1_3", null, PskIdentity, PskHex));
        await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tlsx/est");

        // Alice → Bob: seven chunks, through s_client's stdin, decrypted and rewritten by the MG.
        var body = TlsRig.RandomBytes(TenMegabytes, 31);
        var up = Message("upL7x", mgOnAlice, Alice, body, chunks: 7);
        var upExpected = Message("upL7x", Bob, mgOnBob, body, chunks: 7);
        var feeding = Task.Run(async () =>
        {
            await alice.Stdin.WriteAsync(up, cts.Token);
            await alice.Stdin.FlushAsync(cts.Token);
        }, cts.Token);
        Assert.Equal(SHA256.HashData(upExpected), SHA256.HashData(await Within(ReceiveExactly(bob, upExpected.Length))));
        await Within(feeding);

        // Bob → Alice: one chunk, rewritten and encrypted by the MG, out of s_client's stdout.
        var back = TlsRig.RandomBytes(TenMegabytes, 32);
        var down = Message("dnL7x", mgOnBob, Bob, back, chunks: 1);
        var downExpected = Message("dnL7x", Alice, mgOnAlice, back, chunks: 1);
        var sending = bob.SendAsync(down, SocketFlags.None, cts.Token).AsTask();
        Assert.Equal(SHA256.HashData(downExpected), SHA256.HashData(await Within(alice.ReadStdout(downExpected.Length, cts.Token))));
        await Within(sending);

        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(up.Length, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(downExpected.Length, Statistic(subtract.Commands[0], "nt/os"));
    }

    [Fact]
    public async Task In_a_conference_a_10_mb_message_in_chunks_and_whole_reaches_tls_and_tcp_participants_byte_exact_but_for_the_paths()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, PskParticipant(Alice), TcpParticipant(Bob), CertificateParticipant(Carol, await OpenSslFingerprint(ue, cts.Token)));
        await using var alice = await JoinOpenSsl(wire, reply.Commands[0], Alice, PskArguments("-tls1_3", null, PskIdentity, PskHex));
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinSsl(wire, reply.Commands[2], Carol, ue, cts.Token);
        ConferencePeer[] peers = [alice, bob, carol];

        // Alice (s_client, TLS 1.3 PSK) sends seven chunks; Bob (TCP) sends one whole chunk.
        await SendToOthers(peers, 0, "cfA7q", TlsRig.RandomBytes(TenMegabytes, 41), chunks: 7, cts.Token);
        await SendToOthers(peers, 1, "cfB1q", TlsRig.RandomBytes(TenMegabytes, 42), chunks: 1, cts.Token);

        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        for (var n = 0; n < 3; n++)
        {
            AssertCounted(peers[n], subtract.Commands[n]);
        }
    }

    /// <summary>
    /// The sender's message reaches every other participant, all at once (a lane not read would stall), each
    /// byte-exact with its own leg's paths; the sender gets a 200 for every chunk (RFC 4975 §7.2).
    /// </summary>
    private static async Task SendToOthers(ConferencePeer[] peers, int sender, string transaction, byte[] body, int chunks, CancellationToken cancellationToken)
    {
        var from = peers[sender];
        var sending = Task.Run(() => from.WriteAsync(Message(transaction, from.MgUri, from.Path, body, chunks), cancellationToken), cancellationToken);
        var receiving = peers.Where(p => p != from).Select(to =>
        {
            var expected = Message(transaction, to.Path, to.MgUri, body, chunks);
            return Task.Run(async () => Assert.Equal(SHA256.HashData(expected), await to.ReadHashAsync(expected.Length)), cancellationToken);
        }).ToArray();
        await Within(Task.WhenAll(receiving));
        await Within(sending);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            Assert.StartsWith("MSRP " + transaction + chunk + " 200 OK\r\n", await from.ReadMessageAsync(transaction + chunk), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// One MSRP message of <paramref name="body"/> as <paramref name="chunks"/> SEND chunks (RFC 4975 §5.1, §7.1:
    /// transaction ids <paramref name="transaction"/>0, 1, …; Byte-Range per chunk; <c>+</c> on all but the last, <c>$</c>).
    /// </summary>
    internal static byte[] Message(string transaction, string toPath, string fromPath, byte[] body, int chunks)
    {
        using var stream = new MemoryStream(body.Length + chunks * 512);
        var size = (body.Length + chunks - 1) / chunks;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var start = chunk * size;
            var end = Math.Min(body.Length, start + size);
            var id = transaction + chunk;
            stream.Write(Encoding.ASCII.GetBytes(
                "MSRP " + id + " SEND\r\n"
                + "To-Path: " + toPath + "\r\n"
                + "From-Path: " + fromPath + "\r\n"
                + "Message-ID: m-" + transaction + "\r\n"
                + "Byte-Range: " + (start + 1) + "-" + end + "/" + body.Length + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "\r\n"));
            stream.Write(body, start, end - start);
            stream.Write(Encoding.ASCII.GetBytes("\r\n-------" + id + (chunk == chunks - 1 ? "$" : "+") + "\r\n"));
        }
        return stream.ToArray();
    }
}
