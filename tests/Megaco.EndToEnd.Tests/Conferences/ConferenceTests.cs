using System.Net.Sockets;
using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Events;

namespace Megaco.EndToEnd.Tests.Conferences;

/// <summary>
/// An MRFC conference (<c>MsrpConferenceController</c>, Mp, TS 29.333) on the MG process as MRFP
/// (<c>--profile mp --Media:MaxTerminationsPerContext=8</c>) with three TCP participants.
/// </summary>
public sealed class ConferenceTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Three_participants_join_connect_and_leave_through_the_MRFP_process()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync(profile: "mp", more: "--Media:MaxTerminationsPerContext=8");
        var baseline = rig.Process.SocketCount();
        var conference = rig.Conferences.CreateConference();
        await using var events = new EventWatch(conference.ReadEventsAsync);

        var participants = new List<(Megaco.Mgc.Conferences.ParticipantOutcome Admitted, Socket Socket)>();
        try
        {
            for (var n = 1; n <= 3; n++)
            {
                var admitted = await conference.AddParticipantAsync(Sdp.Participant(n), cancellationToken: ct);
                Assert.True(admitted.Succeeded, admitted.Failure?.ToString());
                // The MRFP answers with its own address, a port of its range, passive, and its own MSRP URI (always MSRP-aware).
                Assert.Equal("passive", Sdp.Attribute(admitted.Answer!, "setup"));
                Assert.StartsWith($"msrp://127.0.0.1:{Sdp.Port(admitted.Answer!)}/", Sdp.Attribute(admitted.Answer!, "path"), StringComparison.Ordinal);
                participants.Add((admitted, await Peers.ConnectAsync(Sdp.Port(admitted.Answer!), "127.0.0.1", ct)));
            }
            Assert.Equal(3, conference.Participants.Count);
            Assert.Equal(1, await MgAudit.ContextCountAsync(rig.Mg, ct));
            foreach (var (admitted, socket) in participants)
            {
                var est = await events.WaitForAsync(e => e.Kind == MsrpEventKind.ConnectionEstablished && e.Termination == admitted.Participant,
                    "tcpx/est of " + admitted.Participant, EventTimeout, () => rig.Process.Output);
                Assert.Equal(socket.LocalEndPoint!.ToString(), est.Detail);
            }

            var removed = await conference.RemoveParticipantAsync(participants[1].Admitted.Participant!, ct);
            Assert.True(removed.Succeeded, removed.Failure?.ToString());
            Assert.Equal(participants[1].Admitted.Participant, Assert.Single(removed.Statistics).Termination);
            var ended = await conference.EndAsync(ct);
            Assert.True(ended.Succeeded, ended.Failure?.ToString());
            Assert.Equal(2, ended.Statistics.Count);
            Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
        }
        finally
        {
            foreach (var (_, socket) in participants)
            {
                socket.Dispose();
            }
        }
        await rig.EventuallyAsync(() => rig.Process.SocketCount() == baseline,
            $"the MRFP's sockets back to {baseline} (now {rig.Process.SocketCount()})", TimeSpan.FromSeconds(10));
    }

    /// <summary>The MRFP's job: a SEND from one participant reaches the two others, each with the paths of its own leg.</summary>
    [Fact]
    public async Task A_SEND_from_one_participant_reaches_the_two_others()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var rig = await MgRig.StartAsync(profile: "mp", more: "--Media:MaxTerminationsPerContext=8");
        var conference = rig.Conferences.CreateConference();
        var answers = new List<string>();
        var sockets = new List<Socket>();
        try
        {
            for (var n = 1; n <= 3; n++)
            {
                var admitted = await conference.AddParticipantAsync(Sdp.Participant(n), cancellationToken: ct);
                Assert.True(admitted.Succeeded, admitted.Failure?.ToString());
                answers.Add(admitted.Answer!);
                sockets.Add(await Peers.ConnectAsync(Sdp.Port(admitted.Answer!), "127.0.0.1", ct));
            }
            await sockets[0].SendAsync(Encoding.ASCII.GetBytes(Send(Sdp.Attribute(answers[0], "path")!, Sdp.ParticipantPath(1))), ct);
            for (var other = 1; other <= 2; other++)
            {
                var expected = Send(Sdp.ParticipantPath(other + 1), Sdp.Attribute(answers[other], "path")!);
                Assert.Equal(expected, await Peers.ReadAsync(sockets[other], expected.Length, ct));
            }
            Assert.True((await conference.EndAsync(ct)).Succeeded);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static string Send(string toPath, string fromPath) =>
        "MSRP c0nf1 SEND\r\n" +
        "To-Path: " + toPath + "\r\n" +
        "From-Path: " + fromPath + "\r\n" +
        "Message-ID: 4711\r\n" +
        "Byte-Range: 1-5/5\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "hello\r\n" +
        "-------c0nf1$\r\n";
}
