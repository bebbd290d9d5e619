using System.Security.Cryptography;
using System.Text;
using Megaco.Mg.DataPath.Conference;
using Megaco.Mg.DataPath.Msrp;
using static Megaco.Mg.Tests.Conference.ConferenceHarness;

namespace Megaco.Mg.Tests.Conference;

/// <summary>
/// <see cref="MsrpConference"/> with participants on real loopback TCP connections: fan-out with per-leg
/// paths, exactly once and in order per sender, chunks never interleaved, answers from the focus, join and
/// leave at any time, a slow participant dropped, malformed framing ending one leg only, 10 MB fan-out.
/// </summary>
public sealed class MsrpConferenceTests
{
    [Fact]
    public async Task Three_participants_get_each_others_messages_once_in_order_with_their_own_paths_and_schemes()
    {
        await using var harness = new ConferenceHarness();
        // Alice plain TCP, bob's leg msrps (TLS terminated before the pipes), carol latched from another address.
        string[] names = ["alice", "bob", "carol"];
        var participants = new List<Participant>();
        foreach (var name in names)
        {
            participants.Add(await harness.JoinAsync(name, latched: name == "carol"));
        }

        // Each sends 6 messages; every third in two chunks ("+" then "$", RFC 4975 §5.1), all at once.
        var sent = new Dictionary<string, List<(string MessageId, string Tid, string Body, char Flag)>>();
        foreach (var name in names)
        {
            var chunks = new List<(string, string, string, char)>();
            for (int m = 0; m < 6; m++)
            {
                string body = $"{name} says {m}: " + new string((char)('a' + m), 40 + (m * 37));
                if (m % 3 == 0)
                {
                    chunks.Add(($"{name}-{m}", $"{name}{m}c1x", body[..20], '+'));
                    chunks.Add(($"{name}-{m}", $"{name}{m}c2x", body[20..], '$'));
                }
                else
                {
                    chunks.Add(($"{name}-{m}", $"{name}{m}c0x", body, '$'));
                }
            }
            sent[name] = chunks;
        }
        await Task.WhenAll(participants.Select(async p =>
        {
            foreach (var (messageId, tid, body, flag) in sent[p.Name])
            {
                await p.SendAsync(Send(p.Name, tid, messageId, body, flag));
            }
        }));

        foreach (var me in participants)
        {
            var received = new List<Received>();
            int expected = sent[me.Name].Count + names.Where(n => n != me.Name).Sum(n => sent[n].Count);
            for (int i = 0; i < expected; i++)
            {
                received.Add(await me.NextAsync());
            }

            // RFC 4975 §7.2: one 200 per chunk sent, to the sender's URI, from the MG's URI on its leg.
            var responses = received.Where(r => r.IsResponse).ToList();
            Assert.Equal(sent[me.Name].Select(c => c.Tid), responses.Select(r => r.TransactionId));
            Assert.All(responses, r =>
            {
                Assert.StartsWith($"MSRP {r.TransactionId} 200 OK", r.StartLine, StringComparison.Ordinal);
                Assert.Equal(RemoteUri(me.Name), r.Header("To-Path"));
                Assert.Equal(LocalUri(me.Name), r.Header("From-Path"));
            });

            // Every other participant's chunks, each once, in its sender's order, addressed on this leg.
            var sends = received.Where(r => !r.IsResponse).ToList();
            Assert.All(sends, s =>
            {
                Assert.Equal("SEND", s.Method);
                Assert.Equal(RemoteUri(me.Name), s.Header("To-Path"));
                Assert.Equal(LocalUri(me.Name), s.Header("From-Path"));
                Assert.Equal("text/plain", s.Header("Content-Type"));
            });
            foreach (var other in names.Where(n => n != me.Name))
            {
                var fromOther = sends.Where(s => s.Header("Message-ID")!.StartsWith(other + "-", StringComparison.Ordinal)).ToList();
                Assert.Equal(sent[other].Select(c => (c.MessageId, c.Tid, c.Body, c.Flag)), fromOther.Select(s => (s.Header("Message-ID")!, s.TransactionId, Encoding.ASCII.GetString(s.Body!), s.Flag)));
            }
            Assert.Empty(me.Drain());
        }

        foreach (var name in names)
        {
            Assert.True(harness.Conference.TryGetStats(name, out var stats));
            Assert.Equal(6, stats.MessagesReceived);
            Assert.Equal(12, stats.MessagesSent);
            Assert.True(stats.OctetsReceived > 0 && stats.OctetsSent > stats.OctetsReceived);
        }
    }

    [Fact]
    public async Task Participants_join_and_leave_mid_conference_and_a_partial_chunk_ends_aborted()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");

        await alice.SendAsync(Send("alice", "m1alice", "a-1", "before carol"));
        Assert.Equal("before carol", BodyOf(await NextRequest(bob)));

        var carol = await harness.JoinAsync("carol");
        await alice.SendAsync(Send("alice", "m2alice", "a-2", "with carol"));
        Assert.Equal("with carol", BodyOf(await NextRequest(bob)));
        Assert.Equal("with carol", BodyOf(await NextRequest(carol)));

        // Bob starts a chunk and closes mid-body: RFC 4975 §7.1, the others see it end with "#".
        await bob.SendAsync($"MSRP bobpart1 SEND\r\nTo-Path: {LocalUri("bob")}\r\nFrom-Path: {RemoteUri("bob")}\r\nMessage-ID: b-1\r\nByte-Range: 1-*/*\r\nContent-Type: text/plain\r\n\r\nhalf of a mess");
        await Task.Delay(100);
        bob.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        foreach (var other in new[] { alice, carol })
        {
            var partial = await NextRequest(other);
            Assert.Equal("bobpart1", partial.TransactionId);
            Assert.Equal('#', partial.Flag);
            Assert.Equal("half of a mess", BodyOf(partial));
        }
        await AssertDroppedForFraming(harness, bob, MsrpFramingErrorReason.Truncated);

        await alice.SendAsync(Send("alice", "m3alice", "a-3", "after bob"));
        Assert.Equal("after bob", BodyOf(await NextRequest(carol)));
        Assert.Equal(2, harness.Conference.LegCount);

        var carolStats = await harness.Conference.RemoveLegAsync("carol");
        // "with carol" and "after bob"; bob's aborted chunk is no complete message.
        Assert.Equal(2, carolStats!.Value.MessagesSent);
        Assert.Equal(MsrpConferenceLegEndReason.Removed, (await harness.WaitForEndAsync("carol")).Reason);
        Assert.Equal("fin", await carol.EndingAsync());
        Assert.Equal(1, harness.Conference.LegCount);
        Assert.Null(await harness.Conference.RemoveLegAsync("carol"));
    }

    [Fact]
    public async Task Many_participants_joining_and_leaving_in_turn_leave_the_sender_unharmed()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");

        for (int i = 0; i < 12; i++)
        {
            var guest = await harness.JoinAsync($"guest{i}");
            await alice.SendAsync(Send("alice", $"turn{i:D2}alice", $"a-{i}", $"hello guest {i}", extraHeaders: "Failure-Report: no\r\n"));
            Assert.Equal($"hello guest {i}", BodyOf(await NextRequest(guest)));
            Assert.NotNull(await harness.Conference.RemoveLegAsync(guest.Name));
        }

        await alice.SendAsync(Send("alice", "last0alice", "a-last", "anyone?"));
        Assert.Equal("MSRP last0alice 200 OK", (await alice.NextAsync()).StartLine);
        Assert.Equal(1, harness.Conference.LegCount);
        Assert.True(harness.Conference.TryGetStats("alice", out var stats));
        Assert.Equal(13, stats.MessagesReceived);
        Assert.All(harness.Ends, e => Assert.Equal(MsrpConferenceLegEndReason.Removed, e.Reason));
    }

    [Fact]
    public async Task A_participant_that_does_not_read_is_dropped_and_the_others_go_on()
    {
        await using var harness = new ConferenceHarness(record => new MsrpConferenceOptions
        {
            OnLegEnded = record,
            StallTimeout = TimeSpan.FromSeconds(1),
            MaxQueuedBytesPerLane = 16 * 1024,
        });
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");
        var carol = await harness.JoinAsync("carol", slowReader: true);

        var random = new Random(29333);
        var bodies = Enumerable.Range(0, 40).Select(_ => RandomText(random, 64 * 1024)).ToList();
        var sending = Task.Run(async () =>
        {
            for (int i = 0; i < bodies.Count; i++)
            {
                await alice.SendAsync(Send("alice", $"slow{i:D4}", $"a-{i}", bodies[i], extraHeaders: "Failure-Report: no\r\n"));
            }
        });

        for (int i = 0; i < bodies.Count; i++)
        {
            var message = await NextRequest(bob);
            Assert.Equal($"a-{i}", message.Header("Message-ID"));
            Assert.Equal(bodies[i], BodyOf(message));
        }
        await sending.WaitAsync(ConferenceHarness.Timeout);

        Assert.Equal(MsrpConferenceLegEndReason.Stalled, (await harness.WaitForEndAsync("carol")).Reason);
        Assert.DoesNotContain(harness.Ends, e => e.LegId != "carol");
        carol.StartReading();
        Assert.Equal("reset", await carol.EndingAsync());
        Assert.Equal(2, harness.Conference.LegCount);
    }

    [Fact]
    public async Task Malformed_framing_from_one_participant_ends_only_its_leg()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");
        var carol = await harness.JoinAsync("carol");

        await bob.SendAsync(Send("bob", "good0bob", "b-1", "fine so far") + "HELLO bob\r\n");
        Assert.Equal("fine so far", BodyOf(await NextRequest(alice)));
        Assert.Equal("fine so far", BodyOf(await NextRequest(carol)));

        await AssertDroppedForFraming(harness, bob, MsrpFramingErrorReason.BadStartLine);

        await alice.SendAsync(Send("alice", "after0alice", "a-1", "still here"));
        Assert.Equal("still here", BodyOf(await NextRequest(carol)));
        Assert.Single(harness.Ends);
    }

    [Fact]
    public async Task A_10_MB_message_fans_out_byte_identical_and_its_sender_gets_a_success_report()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");
        var carol = await harness.JoinAsync("carol");
        var body = new byte[10 * 1024 * 1024];
        new Random(4975).NextBytes(body);
        var head = Encoding.ASCII.GetBytes($"MSRP big0alice SEND\r\nTo-Path: {LocalUri("alice")}\r\nFrom-Path: {RemoteUri("alice")}\r\nMessage-ID: big-1\r\nByte-Range: 1-{body.Length}/{body.Length}\r\nSuccess-Report: yes\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes("\r\n-------big0alice$\r\n");
        var wire = head.Concat(body).Concat(tail).ToArray();

        var random = new Random(6714);
        var sending = Task.Run(async () =>
        {
            for (int offset = 0; offset < wire.Length;)
            {
                int size = Math.Min(wire.Length - offset, random.Next(1, 100_000));
                await alice.SendAsync(wire.AsMemory(offset, size));
                offset += size;
            }
        });

        var atBob = await NextRequest(bob);
        var atCarol = await NextRequest(carol);
        await sending.WaitAsync(ConferenceHarness.Timeout);
        var expected = SHA256.HashData(body);
        Assert.Equal(expected, SHA256.HashData(atBob.Body!));
        Assert.Equal(expected, SHA256.HashData(atCarol.Body!));
        Assert.Equal(RemoteUri("carol"), atCarol.Header("To-Path"));
        Assert.Equal(LocalUri("carol"), atCarol.Header("From-Path"));

        // RFC 4975 §7.1.3: the 200 for the chunk, then the REPORT over the whole message.
        var ok = await alice.NextAsync();
        Assert.Equal("MSRP big0alice 200 OK", ok.StartLine);
        var report = await alice.NextAsync();
        Assert.Equal("REPORT", report.Method);
        Assert.Equal(RemoteUri("alice"), report.Header("To-Path"));
        Assert.Equal(LocalUri("alice"), report.Header("From-Path"));
        Assert.Equal("big-1", report.Header("Message-ID"));
        Assert.Equal($"1-{body.Length}/{body.Length}", report.Header("Byte-Range"));
        Assert.Equal("000 200 OK", report.Header("Status"));
        Assert.InRange(report.TransactionId.Length, 16, 32);
    }

    [Fact]
    public async Task Topology_isolates_and_one_way_pairs()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");
        var carol = await harness.JoinAsync("carol");

        // H.248.1 §7.1.18: alice and bob isolated from each other, carol one way to alice.
        harness.Conference.SetTopology("alice", "bob", MsrpConferenceTopology.Isolate);
        harness.Conference.SetTopology("carol", "alice", MsrpConferenceTopology.OneWay);

        await alice.SendAsync(Send("alice", "iso0alice", "a-1", "from alice", extraHeaders: "Failure-Report: no\r\n"));
        await bob.SendAsync(Send("bob", "iso0bob", "b-1", "from bob", extraHeaders: "Failure-Report: no\r\n"));
        await carol.SendAsync(Send("carol", "iso0carol", "c-1", "from carol", extraHeaders: "Failure-Report: no\r\n"));

        // Alice reaches no one (bob isolated, carol one way towards her); bob reaches carol only.
        Assert.Equal("from carol", BodyOf(await NextRequest(alice)));
        Assert.Equal("from bob", BodyOf(await NextRequest(carol)));
        Assert.Equal("from carol", BodyOf(await NextRequest(bob)));

        // Markers prove nothing else was queued: back to both ways, alice's next message reaches both.
        harness.Conference.SetTopology("alice", "bob", MsrpConferenceTopology.BothWay);
        harness.Conference.SetTopology("alice", "carol", MsrpConferenceTopology.BothWay);
        await alice.SendAsync(Send("alice", "mark0alice", "a-2", "marker", extraHeaders: "Failure-Report: no\r\n"));
        Assert.Equal("marker", BodyOf(await NextRequest(bob)));
        Assert.Equal("marker", BodyOf(await NextRequest(carol)));
        Assert.Empty(alice.Drain());
    }

    [Fact]
    public async Task The_focus_answers_as_failure_report_asks_and_consumes_reports_and_responses()
    {
        await using var harness = new ConferenceHarness();
        var alice = await harness.JoinAsync("alice");
        var bob = await harness.JoinAsync("bob");

        // RFC 4975 §7.1.1: Failure-Report "no" and "partial" get no 200; a REPORT gets no response (§7.1.2)
        // and is not forwarded; a response to the focus's own transaction ends there; an unknown method gets 501.
        await alice.SendAsync(Send("alice", "fr0alice", "a-1", "no answer", extraHeaders: "Failure-Report: no\r\n"));
        await alice.SendAsync(Send("alice", "fr1alice", "a-2", "no answer either", extraHeaders: "Failure-Report: partial\r\n"));
        await alice.SendAsync($"MSRP rep0alice REPORT\r\nTo-Path: {LocalUri("alice")}\r\nFrom-Path: {RemoteUri("alice")}\r\nMessage-ID: x-1\r\nByte-Range: 1-3/3\r\nStatus: 000 200 OK\r\n-------rep0alice$\r\n");
        await alice.SendAsync($"MSRP fr1alice 200 OK\r\nTo-Path: {LocalUri("alice")}\r\nFrom-Path: {RemoteUri("alice")}\r\n-------fr1alice$\r\n");
        await alice.SendAsync($"MSRP nick0alice NICKNAME\r\nTo-Path: {LocalUri("alice")}\r\nFrom-Path: {RemoteUri("alice")}\r\n-------nick0alice$\r\n");

        var answer = await alice.NextAsync();
        Assert.Equal("MSRP nick0alice 501 Request method not understood", answer.StartLine);
        Assert.Equal(RemoteUri("alice"), answer.Header("To-Path"));
        Assert.Equal("no answer", BodyOf(await NextRequest(bob)));
        Assert.Equal("no answer either", BodyOf(await NextRequest(bob)));

        await alice.SendAsync(Send("alice", "mark0alice", "a-3", "marker", extraHeaders: "Failure-Report: no\r\n"));
        Assert.Equal("marker", BodyOf(await NextRequest(bob)));
        Assert.Empty(bob.Drain());
        Assert.Empty(alice.Drain());
    }

    /// <summary>The leg ended for a framing error with <paramref name="reason"/>, and the participant's connection was reset.</summary>
    private static async Task AssertDroppedForFraming(ConferenceHarness harness, Participant participant, MsrpFramingErrorReason reason)
    {
        var end = await harness.WaitForEndAsync(participant.Name);
        Assert.Equal(MsrpConferenceLegEndReason.FramingError, end.Reason);
        Assert.Equal(reason, end.Error.Reason);
        Assert.Equal("reset", await participant.EndingAsync());
    }

    private static string Send(string from, string tid, string messageId, string body, char flag = '$', string extraHeaders = "") =>
        $"MSRP {tid} SEND\r\nTo-Path: {LocalUri(from)}\r\nFrom-Path: {RemoteUri(from)}\r\nMessage-ID: {messageId}\r\nByte-Range: 1-*/*\r\n{extraHeaders}Content-Type: text/plain\r\n\r\n{body}\r\n-------{tid}{flag}\r\n";

    /// <summary>The next request, skipping the focus's responses to this participant's own requests.</summary>
    private static async Task<Received> NextRequest(Participant participant)
    {
        while (true)
        {
            var message = await participant.NextAsync();
            if (!message.IsResponse)
            {
                return message;
            }
        }
    }

    private static string BodyOf(Received message) => Encoding.Latin1.GetString(message.Body!);

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(' ', '~');
        }
        return new string(chars);
    }
}
