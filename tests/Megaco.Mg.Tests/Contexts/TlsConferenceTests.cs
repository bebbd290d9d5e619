using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tests.Tls;
using Megaco.Protocol.Model;
using static Megaco.Mg.Tests.Contexts.ConferenceWire;
using static Megaco.Mg.Tests.Contexts.MsrpAwareTests;
using static Megaco.Mg.Tests.Contexts.TlsTerminationTests;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// TLS participants in an MRFP conference context (profile mp, more than two terminations per context), over
/// the H.248 wire: each TLS leg terminates its own session and joins the conference's clear pipes only once
/// its handshake has verified the peer.
/// </summary>
public sealed class TlsConferenceTests
{
    private const string Alice = "msrps://127.0.0.1:9/alice1;tcp";
    private const string Bob = "msrp://127.0.0.1:9/bob1;tcp";
    private const string Carol = "msrp://127.0.0.1:9/carol1;tcp";

    [Fact]
    public async Task A_tcp_participant_connecting_during_a_tls_handshake_leaves_that_connection_to_the_handshake()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, CertificateParticipant(Alice, await OpenSslFingerprint(ue, cts.Token)), TcpParticipant(Bob), TcpParticipant(Carol));

        // Alice's TCP connection is up but her ClientHello is not sent yet when Bob and Carol connect.
        var aliceSocket = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tcpx/est");
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinPlain(wire, reply.Commands[2], Carol);
        await using var alice = await JoinSsl(wire, reply.Commands[0], Alice, ue, cts.Token, aliceSocket, "tls13");
        Assert.StartsWith("msrps://", alice.MgUri, StringComparison.Ordinal);

        ConferencePeer[] peers = [alice, bob, carol];
        for (var sender = 0; sender < 3; sender++)
        {
            await SendToAll(peers, sender, "s" + sender + "Xq81", "hello from " + peers[sender].Path, cts.Token);
        }
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        for (var n = 0; n < 3; n++)
        {
            AssertCounted(peers[n], subtract.Commands[n]);
        }
    }

    /// <summary>
    /// openssl s_client as a PSK participant: fed CRLF bytes as they are, or LF-only lines with <c>-crlf</c> (which
    /// turns each LF into CRLF, as MSRP needs, RFC 4975 §9). Its SEND reaches the two TCP participants, theirs reach it.
    /// </summary>
    [Theory]
    [InlineData("-tls1_3", null, false)]
    [InlineData("-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305", true)]
    public async Task An_s_client_participant_by_psk_exchanges_with_two_tcp_participants(string version, string? cipher, bool crlf)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, PskParticipant(Alice), TcpParticipant(Bob), TcpParticipant(Carol));
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinPlain(wire, reply.Commands[2], Carol);
        string[] arguments = [.. PskArguments(version, cipher, PskIdentity, PskHex), .. crlf ? new[] { "-crlf" } : []];
        await using var alice = await JoinOpenSsl(wire, reply.Commands[0], Alice, arguments, lfOnly: crlf);

        ConferencePeer[] peers = [alice, bob, carol];
        await SendToAll(peers, 0, "a1Zp0w", "first from alice", cts.Token);
        await SendToAll(peers, 1, "b1Zp0w", "then bob", cts.Token);
        await SendToAll(peers, 0, "a2Zp0w", "and alice again", cts.Token);
        await SendToAll(peers, 2, "c1Zp0w", "carol last", cts.Token);

        // Alice leaves: her clear octets are counted; Bob and Carol go on.
        AssertCounted(alice, Single(await wire.Send(Action(reply.ContextId, Subtract(reply.Commands[0].TerminationIds[0])))).Commands[0]);
        Assert.Equal(0, await alice.ReadEndAsync());
        await SendToAll([bob, carol], 0, "b2Zp0w", "alice has gone", cts.Token);
    }

    /// <summary>
    /// Issue 6's conference: Alice by TLS (s_client, certificate checked against her fingerprint), Bob by plain
    /// TCP, Carol latched (her SDP says 127.0.0.1, she connects from 127.0.0.2). Each SEND reaches the two others
    /// exactly once with that leg's paths; Bob leaves and Alice and Carol go on; every Subtract counts exactly
    /// the octets that went over that participant's connection (clear octets for Alice).
    /// </summary>
    [Fact]
    public async Task Three_parties_by_tls_tcp_and_latching_each_hear_the_others_once_and_one_leaves_undisturbing()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, CertificateParticipant(Alice, await OpenSslFingerprint(ue, cts.Token)), TcpParticipant(Bob), TcpParticipant(Carol, latch: true));
        var ids = Ids(reply);

        await using var alice = await JoinOpenSsl(wire, reply.Commands[0], Alice, ["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], version: "tls13");
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = ConferencePeer.Plain(Carol, await ConnectFrom(Ue2, EndPointOf(reply.Commands[2])));
        carol.MgUri = MgUri(reply.Commands[2]);
        Assert.StartsWith(Ue2 + ":", Value(await wire.NextEvent(ids[2], "tcpx/est"), "ra"), StringComparison.Ordinal);

        ConferencePeer[] peers = [alice, bob, carol];
        for (var round = 0; round < 2; round++)
        {
            for (var sender = 0; sender < 3; sender++)
            {
                await SendToAll(peers, sender, "r" + round + "s" + sender + "Lq3", "round " + round + " from " + peers[sender].Path, cts.Token);
            }
        }

        AssertCounted(bob, Single(await wire.Send(Action(reply.ContextId, Subtract(ids[1])))).Commands[0]);
        Assert.Equal(0, await bob.ReadEndAsync());

        await SendToAll([alice, carol], 0, "a9Lq3", "bob has left", cts.Token);
        await SendToAll([alice, carol], 1, "c9Lq3", "so he has", cts.Token);

        var end = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(2, end.Commands.Count);
        foreach (var (peer, command) in new[] { (alice, end.Commands[0]), (carol, end.Commands[1]) })
        {
            AssertCounted(peer, command);
            // Nothing more than what was read: no message arrived twice.
            Assert.Equal(0, await peer.ReadEndAsync());
        }
        Assert.Equal(0, wire.Engine.Ports.InUse);
    }

    /// <summary>
    /// adid/ipstop on conference legs (provisional, so under a private profile only, as for a relayed
    /// termination): a silent TLS or TCP participant is reported after its detection time, once per silent
    /// stretch; a participant whose mode lets it send to no one (sendonly: silence expected) is not.
    /// </summary>
    [Fact]
    public async Task Silent_participants_are_reported_once_per_silence_unless_held()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp(privateProfile: true);
        var ipstop = new RequestedEvent(Name("adid/ipstop"), Parameters: [new PropertyParm(new PkgdName("", "dt"), ["300"])]);
        var held = TcpParticipant(Carol);
        held = held with { Stream = held.Stream! with { LocalControl = new LocalControlDescriptor(StreamMode.SendOnly) } };
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(PskParticipant(Alice), new EventsDescriptor(1, [ipstop])),
            Add(TcpParticipant(Bob), new EventsDescriptor(2, [ipstop])),
            Add(held, new EventsDescriptor(3, [ipstop])))));
        var ids = Ids(reply);
        // Connected without waiting for events: every Notify is read below.
        await using var bob = ConferencePeer.Plain(Bob, await ConnectFrom(Ue1, EndPointOf(reply.Commands[1])));
        await using var carol = ConferencePeer.Plain(Carol, await ConnectFrom(Ue1, EndPointOf(reply.Commands[2])));
        await using var alice = ConferencePeer.OpenSslClient(Alice, StartClient(EndPointOf(reply.Commands[0]), PskArguments("-tls1_3", null, PskIdentity, PskHex)));

        // Alice and Bob say nothing: each is reported once; held Carol is not.
        var reported = new List<TerminationId>();
        while (!(reported.Contains(ids[0]) && reported.Contains(ids[1])))
        {
            reported.AddRange(Inactive(await wire.NextNotify()));
        }
        await Task.Delay(TimeSpan.FromMilliseconds(900), cts.Token);
        while (wire.Notifications.TryRead(out var late))
        {
            reported.AddRange(Inactive(late));
        }
        Assert.Equal([ids[0].Text, ids[1].Text], reported.Select(id => id.Text).Order());

        // Alice speaks (Bob and Carol hear her), then falls silent again: a new report.
        ConferencePeer[] peers = [alice, bob, carol];
        for (var n = 0; n < 3; n++)
        {
            peers[n].MgUri = MgUri(reply.Commands[n]);
        }
        await SendToAll(peers, 0, "w4k3Up", "awake", cts.Token);
        Assert.Equal([ids[0]], Inactive(await wire.NextNotify()));
    }

    /// <summary>
    /// A SEND split into one-byte TLS records (every record boundary a framing boundary somewhere) is framed
    /// whole; the TLS participant's close_notify is its leaving (tcpx/lost closed) and the others go on.
    /// </summary>
    [Fact]
    public async Task A_send_in_one_byte_records_arrives_whole_and_close_notify_is_leaving()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, CertificateParticipant(Alice, await OpenSslFingerprint(ue, cts.Token)), TcpParticipant(Bob), TcpParticipant(Carol));
        await using var alice = await JoinSsl(wire, reply.Commands[0], Alice, ue, cts.Token);
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinPlain(wire, reply.Commands[2], Carol);

        const string body = "one record per byte";
        foreach (var octet in Send("b1tByb1t", alice.MgUri, Alice, body))
        {
            await alice.WriteAsync(octet.ToString(), cts.Token);
        }
        foreach (var to in new[] { bob, carol })
        {
            var expected = Send("b1tByb1t", to.Path, to.MgUri, body);
            Assert.Equal(expected, await to.ReadAsync(expected.Length));
        }
        Assert.StartsWith("MSRP b1tByb1t 200 OK\r\n", await alice.ReadMessageAsync("b1tByb1t"), StringComparison.Ordinal);

        await alice.ShutdownAsync();
        Assert.Equal("closed", Value(await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tcpx/lost"), "cause"));
        // The MG closes its side of the session in turn: close_notify, then the end of the stream.
        Assert.Equal(0, await alice.ReadEndAsync());
        await SendToAll([bob, carol], 0, "b0bL8", "alice closed", cts.Token);
        AssertCounted(alice, Single(await wire.Send(Action(reply.ContextId, Subtract(reply.Commands[0].TerminationIds[0])))).Commands[0]);
    }

    /// <summary>Bytes that are no TLS record, after the handshake: that participant alone is lost (cause other), the others go on.</summary>
    [Fact]
    public async Task A_broken_record_after_the_handshake_loses_that_participant_alone()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, CertificateParticipant(Alice, await OpenSslFingerprint(ue, cts.Token)), TcpParticipant(Bob), TcpParticipant(Carol));
        var aliceSocket = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        await using var alice = await JoinSsl(wire, reply.Commands[0], Alice, ue, cts.Token, aliceSocket);
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinPlain(wire, reply.Commands[2], Carol);
        await SendToAll([alice, bob, carol], 0, "ok1Br", "a good record first", cts.Token);

        // An application data record header with a body that no key opens (RFC 8446 §5.2: bad_record_mac).
        byte[] forged = [23, 3, 3, 0, 32, .. new byte[32]];
        await aliceSocket.SendAsync(forged, System.Net.Sockets.SocketFlags.None, cts.Token);
        Assert.Equal("other", Value(await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tcpx/lost"), "cause"));
        await SendToAll([bob, carol], 1, "ok2Br", "alice is gone", cts.Token);
    }

    [Fact]
    public async Task Clear_msrp_on_a_tls_leg_reaches_no_participant_and_fails_the_handshake()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var wire = StartMrfp(configure: o => o.HandshakeTimeout = TimeSpan.FromSeconds(2));
        var reply = await AddAll(wire, PskParticipant(Alice), TcpParticipant(Bob), TcpParticipant(Carol));
        var alice = reply.Commands[0].TerminationIds[0];

        // A "participant" on the TLS leg that speaks clear MSRP, with Bob and Carol joined meanwhile.
        await using var intruder = ConferencePeer.Plain(Alice, await ConnectFrom(Ue1, EndPointOf(reply.Commands[0])));
        await wire.NextEvent(alice, "tcpx/est");
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinPlain(wire, reply.Commands[2], Carol);
        await intruder.WriteAsync(Send("evil1", MgUri(reply.Commands[0]), Alice, "not protected"), cts.Token);

        Assert.Equal("protocol", Value(await wire.NextEvent(alice, "tlsx/fail"), "cause"));
        // Bob and Carol go on between themselves and got nothing from the intruder: Bob's first message is
        // the first thing Carol reads.
        await SendToAll([bob, carol], 0, "b0b1", "after the intruder", cts.Token);
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(alice))));
        Assert.Equal(0, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(0, Statistic(subtract.Commands[0], "nt/os"));
    }

    private static TerminationId[] Inactive((ContextId Context, TerminationId Termination, ObservedEventsDescriptor Events) notify) =>
        [.. notify.Events.Events.AsSpan().ToArray().Where(e => e.Name.ToString() == "adid/ipstop").Select(_ => notify.Termination)];
}
