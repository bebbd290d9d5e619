using System.Net;
using System.Net.Sockets;
using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mg.Tests.Tls;
using Megaco.Mgc.Events;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Conferences;

/// <summary>
/// Issue 6's conference through the MRFC library (<c>MsrpConferenceController</c>) and the MG process as MRFP
/// (<c>--profile mp</c>): one participant by TLS (openssl s_client, its certificate checked against the
/// a=fingerprint of its offer), one by clear TCP, one behind a NAT (its SIP came from 127.0.0.2, its SDP says
/// 127.0.0.1, and it connects from 127.0.0.2: latched).
/// </summary>
public sealed class TlsConferenceTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_tls_a_tcp_and_a_latched_participant_each_hear_the_others_once_and_one_leaves()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        using var ue = UeCertificate.Create();
        await using var rig = await MgRig.StartAsync(profile: "mp", more: "--Media:MaxTerminationsPerContext=8");
        var conference = rig.Conferences.CreateConference();
        await using var events = new EventWatch(conference.ReadEventsAsync);

        var alice = await conference.AddParticipantAsync(Sdp.WithTls(Sdp.Participant(1), ue.Der), MsrpPolicy.Default, ct);
        var bob = await conference.AddParticipantAsync(Sdp.Participant(2), MsrpPolicy.Default, ct);
        var carol = await conference.AddParticipantAsync(Sdp.Participant(3), MsrpPolicy.Default with { UeSignallingAddress = IPAddress.Parse("127.0.0.2") }, ct);
        Assert.True(alice.Succeeded && bob.Succeeded && carol.Succeeded, $"{alice.Failure} {bob.Failure} {carol.Failure}");
        // The MRFP terminates Alice's TLS: its answer is TCP/TLS/MSRP with its own fingerprint and an msrps path.
        Assert.Contains(" TCP/TLS/MSRP ", alice.Answer, StringComparison.Ordinal);
        Assert.StartsWith("sha-256 ", Sdp.Attribute(alice.Answer!, "fingerprint"), StringComparison.Ordinal);
        Assert.StartsWith("msrps://", Sdp.Attribute(alice.Answer!, "path"), StringComparison.Ordinal);

        await using var aliceClient = OpenSsl.Start("s_client", "-connect", "127.0.0.1:" + Sdp.Port(alice.Answer!), "-quiet", "-tls1_3",
            "-cert", ue.CertPath, "-key", ue.KeyPath);
        await events.WaitForAsync(e => e.Kind == MsrpEventKind.TlsEstablished && e.Termination == alice.Participant,
            "tlsx/est of Alice", EventTimeout, () => "s_client: " + aliceClient.Stderr + "\nMG: " + rig.Process.Output);
        using var bobSocket = await Peers.ConnectAsync(Sdp.Port(bob.Answer!), "127.0.0.1", ct);
        using var carolSocket = await Peers.ConnectAsync(Sdp.Port(carol.Answer!), "127.0.0.2", ct);
        var carolEstablished = await events.WaitForAsync(e => e.Kind == MsrpEventKind.ConnectionEstablished && e.Termination == carol.Participant,
            "tcpx/est of Carol", EventTimeout, () => rig.Process.Output);
        Assert.Equal(carolSocket.LocalEndPoint!.ToString(), carolEstablished.Detail);
        await events.WaitForAsync(e => e.Kind == MsrpEventKind.ConnectionEstablished && e.Termination == bob.Participant,
            "tcpx/est of Bob", EventTimeout, () => rig.Process.Output);

        Participant[] all =
        [
            new(Sdp.Attribute(Sdp.WithTls(Sdp.Participant(1), ue.Der), "path")!, Sdp.Attribute(alice.Answer!, "path")!, aliceClient.Stdin, aliceClient.Stdout),
            new(Sdp.ParticipantPath(2), Sdp.Attribute(bob.Answer!, "path")!, new NetworkStream(bobSocket), new NetworkStream(bobSocket)),
            new(Sdp.ParticipantPath(3), Sdp.Attribute(carol.Answer!, "path")!, new NetworkStream(carolSocket), new NetworkStream(carolSocket)),
        ];
        for (var sender = 0; sender < 3; sender++)
        {
            await SendToAll(all, sender, "e2e" + sender + "Tq", ct);
        }

        var removed = await conference.RemoveParticipantAsync(bob.Participant!, ct);
        Assert.True(removed.Succeeded, removed.Failure?.ToString());
        var bobStatistics = Assert.Single(removed.Statistics);
        Assert.Equal(((ulong?)all[1].Sent, (ulong?)all[1].Received), (bobStatistics.OctetsReceived, bobStatistics.OctetsSent));

        Participant[] left = [all[0], all[2]];
        await SendToAll(left, 0, "e2e9Aq", ct);
        await SendToAll(left, 1, "e2e9Cq", ct);
        var ended = await conference.EndAsync(ct);
        Assert.True(ended.Succeeded, ended.Failure?.ToString());
        foreach (var (participant, id) in new[] { (all[0], alice.Participant), (all[2], carol.Participant) })
        {
            var statistics = Assert.Single(ended.Statistics, s => s.Termination == id);
            // Alice's octets are her session's clear bytes; nothing reached anyone twice.
            Assert.Equal(((ulong?)participant.Sent, (ulong?)participant.Received), (statistics.OctetsReceived, statistics.OctetsSent));
        }
    }

    /// <summary>The sender's SEND reaches each other participant with its own leg's paths, the sender gets its 200.</summary>
    private static async Task SendToAll(Participant[] participants, int sender, string transaction, CancellationToken ct)
    {
        var from = participants[sender];
        var body = "hello from " + from.Path;
        await from.WriteAsync(Send(transaction, from.MgUri, from.Path, body), ct);
        foreach (var to in participants.Where(p => p != from))
        {
            var expected = Send(transaction, to.Path, to.MgUri, body);
            Assert.Equal(expected, await to.ReadAsync(expected.Length, ct));
        }
        var ok = "MSRP " + transaction + " 200 OK\r\nTo-Path: " + from.Path + "\r\nFrom-Path: " + from.MgUri + "\r\n-------" + transaction + "$\r\n";
        Assert.Equal(ok, await from.ReadAsync(ok.Length, ct));
    }

    private static string Send(string transaction, string toPath, string fromPath, string body) =>
        "MSRP " + transaction + " SEND\r\n" +
        "To-Path: " + toPath + "\r\n" +
        "From-Path: " + fromPath + "\r\n" +
        "Message-ID: m-" + transaction + "\r\n" +
        "Byte-Range: 1-" + body.Length + "/" + body.Length + "\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        body + "\r\n" +
        "-------" + transaction + "$\r\n";

    /// <summary>A participant's MSRP path, the MRFP's URI on its leg, and its clear byte streams, counted.</summary>
    private sealed class Participant(string path, string mgUri, Stream write, Stream read)
    {
        public string Path => path;

        public string MgUri => mgUri;

        public long Sent { get; private set; }

        public long Received { get; private set; }

        public async Task WriteAsync(string text, CancellationToken ct)
        {
            await write.WriteAsync(Encoding.ASCII.GetBytes(text), ct);
            await write.FlushAsync(ct);
            Sent += text.Length;
        }

        public async Task<string> ReadAsync(int count, CancellationToken ct)
        {
            var buffer = new byte[count];
            await read.ReadExactlyAsync(buffer, ct);
            Received += count;
            return Encoding.ASCII.GetString(buffer);
        }
    }
}
