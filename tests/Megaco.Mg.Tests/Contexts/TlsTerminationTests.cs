using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.Contexts;
using Megaco.Mg.Tests.Tls;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// TLS terminated by the MG, asked for over H.248 as the control contract says (a=fingerprint:&lt;hash&gt; $ in
/// Local, tlsx/pskid + tlsx/psk in LocalControl), with openssl s_client and s_server as the UEs and a clear TCP
/// peer on the core leg; and e2e TLS relayed untouched through a context.
/// </summary>
public sealed class TlsTerminationTests
{
    internal const string PskHex = "00112233445566778899aabbccddeeff";
    internal const string PskIdentity = "ue1@ims.example";
    private static readonly string[] TlsEvents = ["tcpx/est", "tlsx/est", "tlsx/fail"];

    [Fact]
    public async Task E2ae_an_s_client_with_a_certificate_reaches_a_clear_core_peer_and_the_mg_reports_its_fingerprint()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(CertificateLocal("passive"), TlsRemote(new IPEndPoint(Ue1, 9), "active", await OpenSslFingerprint(ue, cts.Token))), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1)), Events(2, "tcpx/est")))));
        var access = reply.Commands[0].TerminationIds[0];

        // The MG filled its fingerprint in the hash Local named (RFC 8122 §5), for the MGC to put into the SDP towards the UE.
        var local = LocalOf(reply.Commands[0]);
        Assert.True(local.IsTls);
        Assert.True(TlsFingerprint.TryParse(Assert.Single(local.Fingerprints), out var mgFingerprint));
        Assert.Equal(FingerprintHash.Sha256, mgFingerprint.Hash);

        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), "-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath);
        var established = await wire.NextEvent(access, "tlsx/est");
        Assert.Equal("tls13", Value(established, "ver"));
        Assert.Matches("^TLS_(AES_256_GCM_SHA384|AES_128_GCM_SHA256|CHACHA20_POLY1305_SHA256)$", Value(established, "cs"));

        await ExchangeThroughClient(client, corePeer, 1 << 20, cts.Token);
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(1 << 20, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(1 << 20, Statistic(subtract.Commands[1], "nt/os"));
    }

    [Fact]
    public async Task A_certificate_leg_waits_for_the_remote_fingerprint_and_a_modify_that_brings_it_starts_it()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(CertificateLocal("passive"), ActivePeer(Ue1, MsrpMedia.TlsProtocol)), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var access = reply.Commands[0].TerminationIds[0];
        var port = EndPointOf(reply.Commands[0]);
        // The UE's connection waits in the rented port's backlog: without a fingerprint to check, the MG takes it not yet.
        await using var client = StartClient(port, "-tls1_2", "-cert", ue.CertPath, "-key", ue.KeyPath);
        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));

        var modified = Single(await wire.Send(Action(reply.ContextId,
            Modify(access, Media(remote: TlsRemote(new IPEndPoint(Ue1, 9), "active", await OpenSslFingerprint(ue, cts.Token)))))));
        Assert.Single(modified.Commands);
        Assert.Equal("tls12", Value(await wire.NextEvent(access, "tlsx/est"), "ver"));
        await ExchangeThroughClient(client, corePeer, 64 << 10, cts.Token);
    }

    [Theory]
    [InlineData("tls12", "-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305", "^TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256$")]
    [InlineData("tls13", "-tls1_3", null, "^TLS_(AES_128_GCM|CHACHA20_POLY1305)_SHA256$")]
    public async Task E2ae_an_s_client_with_the_psk_the_mgc_gave_reaches_a_clear_core_peer(string version, string option, string? cipher, string suite)
    {
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(PskMedia(PskIdentity, PskHex, minimum: version), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var access = reply.Commands[0].TerminationIds[0];
        Assert.Empty(LocalOf(reply.Commands[0]).Fingerprints);

        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), PskArguments(option, cipher, PskIdentity, PskHex));
        var established = await wire.NextEvent(access, "tlsx/est");
        Assert.Equal(version, Value(established, "ver"));
        Assert.Matches(suite, Value(established, "cs"));
        await ExchangeThroughClient(client, corePeer, 256 << 10, cts.Token);
    }

    [Fact]
    public async Task The_mg_connects_as_tls_client_to_an_s_server_on_the_core_leg_and_checks_its_fingerprint()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        var port = TlsRig.FreePort();
        await using var server = OpenSsl.Start("s_server", "-accept", $"127.0.0.1:{port}", "-quiet", "-naccept", "1", "-tls1_3",
            "-cert", ue.CertPath, "-key", ue.KeyPath, "-Verify", "1");
        // s_server may still be starting: the MG's connection is retried.
        await using var wire = Start(configure: o => (o.ConnectAttempts, o.ConnectRetryDelay) = (100, TimeSpan.FromMilliseconds(100)));
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Ue1))),
            Add(Media(CertificateLocal("active"), TlsRemote(new IPEndPoint(Ue1, port), "passive", await OpenSslFingerprint(ue, cts.Token))), Events(2, TlsEvents)))));
        var core = reply.Commands[1].TerminationIds[0];
        Assert.Equal(9, LocalOf(reply.Commands[1]).Port);
        Assert.Single(LocalOf(reply.Commands[1]).Fingerprints);

        using var accessPeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        Assert.Equal("tls13", Value(await wire.NextEvent(core, "tlsx/est"), "ver"));
        await TlsRig.ExchangeWithServer(server, accessPeer, TlsRig.RandomBytes(300_000, 7), TlsRig.RandomBytes(400_000, 8), cts.Token);
    }

    [Fact]
    public async Task Tls_on_both_legs_an_s_client_by_psk_and_an_s_server_by_certificate_with_independent_sessions()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        var port = TlsRig.FreePort();
        await using var server = OpenSsl.Start("s_server", "-accept", $"127.0.0.1:{port}", "-quiet", "-naccept", "1", "-tls1_2",
            "-cert", ue.CertPath, "-key", ue.KeyPath, "-Verify", "1");
        await using var wire = Start(configure: o => (o.ConnectAttempts, o.ConnectRetryDelay) = (100, TimeSpan.FromMilliseconds(100)));
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(PskMedia(PskIdentity, PskHex), Events(1, TlsEvents)),
            Add(Media(CertificateLocal("active"), TlsRemote(new IPEndPoint(Ue1, port), "passive", await OpenSslFingerprint(ue, cts.Token))), Events(2, TlsEvents)))));
        var access = reply.Commands[0].TerminationIds[0];
        var core = reply.Commands[1].TerminationIds[0];
        Assert.Equal("tls12", Value(await wire.NextEvent(core, "tlsx/est"), "ver"));

        await using var client = StartClient(EndPointOf(reply.Commands[0]), PskArguments("-tls1_3", null, PskIdentity, PskHex));
        Assert.Equal("tls13", Value(await wire.NextEvent(access, "tlsx/est"), "ver"));
        var up = TlsRig.RandomBytes(150_000, 12);
        var down = TlsRig.RandomBytes(250_000, 13);
        await ExchangeClientToServer(client, server, up, down, cts.Token);
        // Each leg counts the clear bytes of its own session.
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(up.Length, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(down.Length, Statistic(subtract.Commands[1], "nt/or"));
    }

    [Fact]
    public async Task A_certificate_matching_no_remote_fingerprint_is_refused_with_fpmismatch_and_nothing_is_relayed()
    {
        using var ue = UeCertificate.Create();
        using var other = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(CertificateLocal("passive"), TlsRemote(new IPEndPoint(Ue1, 9), "active", await OpenSslFingerprint(other, cts.Token))), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var access = reply.Commands[0].TerminationIds[0];
        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), "-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath);
        await client.Stdin.WriteAsync(TlsRig.RandomBytes(1000, 9), cts.Token);
        await client.Stdin.FlushAsync(cts.Token);

        Assert.Equal("fpmismatch", Value(await wire.NextEvent(access, "tlsx/fail"), "cause"));
        Assert.True(await client.WaitForExit(Megaco.Mg.Tests.DataPath.Loopback.Timeout), "s_client did not end on the MG's alert");
        await AssertNothingRelayed(wire, reply, corePeer);
    }

    [Theory]
    [InlineData("-tls1_3", null, PskIdentity, "ffeeddccbbaa99887766554433221100", "pskbad")]
    [InlineData("-tls1_2", "PSK-AES128-GCM-SHA256", PskIdentity, "ffeeddccbbaa99887766554433221100", "pskbad")]
    [InlineData("-tls1_3", null, "intruder", PskHex, "pskunknown")]
    public async Task A_wrong_psk_or_identity_is_refused_with_its_cause_and_nothing_is_relayed(string option, string? cipher, string identity, string key, string cause)
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(PskMedia(PskIdentity, PskHex), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        var access = reply.Commands[0].TerminationIds[0];
        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), PskArguments(option, cipher, identity, key));

        Assert.Equal(cause, Value(await wire.NextEvent(access, "tlsx/fail"), "cause"));
        await AssertNothingRelayed(wire, reply, corePeer);
    }

    [Fact]
    public async Task A_ue_without_a_certificate_is_refused_with_nocert()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(CertificateLocal("passive"), TlsRemote(new IPEndPoint(Ue1, 9), "active", await OpenSslFingerprint(ue, cts.Token))), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), "-tls1_2");

        Assert.Equal("nocert", Value(await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tlsx/fail"), "cause"));
        await AssertNothingRelayed(wire, reply, corePeer);
    }

    [Theory]
    [InlineData(false, "timeout")]
    [InlineData(true, "protocol")]
    public async Task A_ue_that_stays_silent_or_speaks_no_tls_is_refused_with_its_cause(bool speaks, string cause)
    {
        await using var wire = Start(configure: o => o.HandshakeTimeout = TimeSpan.FromSeconds(1));
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(PskMedia(PskIdentity, PskHex), Events(1, TlsEvents)),
            Add(Media(Local("passive"), ActivePeer(Ue1))))));
        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        using var ue = await ConnectFrom(Ue1, EndPointOf(reply.Commands[0]));
        if (speaks)
        {
            await ue.SendAsync("MSRP a786hjs2 SEND\r\nTo-Path: msrp://x\r\n\r\n"u8.ToArray(), SocketFlags.None);
        }

        Assert.Equal(cause, Value(await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tlsx/fail"), "cause"));
        await AssertNothingRelayed(wire, reply, corePeer);
    }

    [Fact]
    public async Task An_audit_shows_the_psk_identity_and_minimum_version_but_never_the_key()
    {
        await using var wire = Start();
        var reply = Single(await wire.Send(Action(ContextId.Choose, Add(PskMedia(PskIdentity, PskHex, minimum: "tls13")))));
        var id = reply.Commands[0].TerminationIds[0];

        var audit = Single(await wire.Send(Action(reply.ContextId, AuditValue(id, AuditTokens.Media))));
        var returned = Assert.IsType<AuditReply>(Assert.Single(audit.Commands.AsSpan().ToArray())).Audit!.Value.AsSpan().ToArray();
        var media = Assert.Single(returned.OfType<MediaDescriptor>());
        var control = media.Stream!.LocalControl!.Properties.AsSpan().ToArray();
        Assert.Equal(PskIdentity, Assert.Single(control, p => p.Name.ToString() == "tlsx/pskid").Value);
        Assert.Equal("tls13", Assert.Single(control, p => p.Name.ToString() == "tlsx/minver").Value);
        Assert.DoesNotContain(control, p => p.Name.Item == "psk");
        var everyValue = control.Concat(media.TerminationState!.Properties.AsSpan().ToArray()).SelectMany(p => p.Values.AsSpan().ToArray());
        Assert.DoesNotContain(everyValue, v => v.Contains(PskHex, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(PskHex, string.Concat(media.Stream.Local!.Lines.AsSpan().ToArray().Select(l => l.Text)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task E2e_an_openssl_handshake_passes_through_a_context_untouched()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        var port = TlsRig.FreePort();
        await using var server = OpenSsl.Start("s_server", "-accept", $"127.0.0.1:{port}", "-quiet", "-naccept", "1", "-tls1_3",
            "-cert", ue.CertPath, "-key", ue.KeyPath);
        await using var wire = Start(configure: o => (o.ConnectAttempts, o.ConnectRetryDelay) = (100, TimeSpan.FromMilliseconds(100)));
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive", MsrpMedia.TlsProtocol), ActivePeer(Ue1, MsrpMedia.TlsProtocol)), Events(1, TlsEvents)),
            Add(Media(Local("active", MsrpMedia.TlsProtocol), Remote(new IPEndPoint(Ue1, port), "passive", MsrpMedia.TlsProtocol)), Events(2, TlsEvents)))));
        Assert.Empty(LocalOf(reply.Commands[0]).Fingerprints);
        var core = reply.Commands[1].TerminationIds[0];
        await wire.NextEvent(core, "tcpx/est");

        await using var client = StartClient(EndPointOf(reply.Commands[0]), "-tls1_3");
        var up = TlsRig.RandomBytes(200_000, 10);
        var down = TlsRig.RandomBytes(300_000, 11);
        await ExchangeClientToServer(client, server, up, down, cts.Token);

        // The MG held no keys: it terminated nothing and counted the TLS records, more than the application bytes.
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.True(Statistic(subtract.Commands[0], "nt/or") > up.Length);
        Assert.True(Statistic(subtract.Commands[1], "nt/or") > down.Length);
        Assert.False(wire.Notifications.TryRead(out var extra) && extra.Events.Events.Any(e => e.Name.Package == "tlsx"), "e2e raised a tlsx event");
    }

    [Fact]
    public async Task Msrp_aware_over_a_psk_tls_leg_rewrites_paths_on_the_clear_bytes_with_msrps_on_that_leg()
    {
        const string alice = "msrps://127.0.0.1:9/alice1;tcp";
        const string bob = "msrp://127.0.0.1:9/bob1;tcp";
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        await using var wire = Start();
        var access = PskMedia(PskIdentity, PskHex);
        access = access with
        {
            Stream = access.Stream! with
            {
                Local = Local("passive", MsrpMedia.TlsProtocol, "a=path:$\n"),
                Remote = LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=setup:active\na=path:" + alice + "\n"),
            },
        };
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(access, Events(1, TlsEvents)),
            Add(Media(Local("passive", extra: "a=path:$\n"),
                LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/MSRP *\na=setup:active\na=path:" + bob + "\n"))))));
        var mgOnAccess = Assert.Single(LocalOf(reply.Commands[0]).Path);
        var mgOnCore = Assert.Single(LocalOf(reply.Commands[1]).Path);
        Assert.StartsWith("msrps://127.0.0.1:", mgOnAccess, StringComparison.Ordinal);
        Assert.StartsWith("msrp://127.0.0.1:", mgOnCore, StringComparison.Ordinal);

        using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
        await using var client = StartClient(EndPointOf(reply.Commands[0]), PskArguments("-tls1_3", null, PskIdentity, PskHex));
        await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tlsx/est");

        await client.Stdin.WriteAsync(MsrpSend("a7Hw2sd1", mgOnAccess, alice, "hello"), cts.Token);
        await client.Stdin.FlushAsync(cts.Token);
        var expected = MsrpSend("a7Hw2sd1", bob, mgOnCore, "hello");
        Assert.Equal(expected, await Within(ReceiveExactly(corePeer, expected.Length)));

        await corePeer.SendAsync(MsrpSend("b8Jq4xe2", mgOnCore, bob, "hi back"), SocketFlags.None, cts.Token);
        var answer = MsrpSend("b8Jq4xe2", alice, mgOnAccess, "hi back");
        Assert.Equal(answer, await Within(client.ReadStdout(answer.Length, cts.Token)));
    }

    [Fact]
    public async Task A_pem_certificate_from_the_options_is_the_one_presented_and_its_fingerprint_is_in_local()
    {
        using var ue = UeCertificate.Create();
        var dir = Directory.CreateTempSubdirectory("h248-mgcert-").FullName;
        try
        {
            using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
            var certificate = Path.Combine(dir, "mg.pem");
            var key = Path.Combine(dir, "mg.key");
            await RunOpenSsl(cts.Token, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=mg.example");
            await using var wire = Start(configure: o => (o.CertificateMode, o.CertificatePath, o.PrivateKeyPath) = (MgCertificateMode.PemFiles, certificate, key));
            var reply = Single(await wire.Send(Action(ContextId.Choose,
                Add(Media(CertificateLocal("passive"), TlsRemote(new IPEndPoint(Ue1, 9), "active", await OpenSslFingerprint(ue.CertPath, cts.Token))), Events(1, TlsEvents)),
                Add(Media(Local("passive"), ActivePeer(Ue1))))));
            Assert.Equal(await OpenSslFingerprint(certificate, cts.Token), Assert.Single(LocalOf(reply.Commands[0]).Fingerprints), ignoreCase: true);

            // s_client trusts only the MG's configured certificate: the handshake completes only if that is the one presented.
            using var corePeer = await ConnectFrom(Ue1, EndPointOf(reply.Commands[1]));
            await using var client = StartClient(EndPointOf(reply.Commands[0]), "-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath,
                "-CAfile", certificate, "-verify_return_error");
            await wire.NextEvent(reply.Commands[0].TerminationIds[0], "tlsx/est");
            await ExchangeThroughClient(client, corePeer, 4096, cts.Token);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(MgCertificateMode.GeneratedAtStart, true)]
    [InlineData(MgCertificateMode.PerSession, false)]
    public async Task Generated_certificates_are_shared_or_per_session_as_configured(MgCertificateMode mode, bool shared)
    {
        await using var wire = Start(configure: o => o.CertificateMode = mode);
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(CertificateLocal("passive"), ActivePeer(Ue1, MsrpMedia.TlsProtocol))),
            Add(Media(CertificateLocal("passive"), ActivePeer(Ue1, MsrpMedia.TlsProtocol))))));
        var other = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive", MsrpMedia.TlsProtocol, "a=fingerprint:sha-384 $\n"), ActivePeer(Ue1, MsrpMedia.TlsProtocol))))));
        Assert.True(TlsFingerprint.TryParse(Assert.Single(LocalOf(reply.Commands[0]).Fingerprints), out var a));
        Assert.True(TlsFingerprint.TryParse(Assert.Single(LocalOf(reply.Commands[1]).Fingerprints), out var b));
        Assert.True(TlsFingerprint.TryParse(Assert.Single(LocalOf(other.Commands[0]).Fingerprints), out var c));
        Assert.Equal(FingerprintHash.Sha256, a.Hash);
        Assert.Equal(FingerprintHash.Sha384, c.Hash);
        Assert.Equal(shared, a.Equals(b));
        // Without a Remote fingerprint no connection could be verified: the legs rent their ports and wait.
        Assert.Equal(3, wire.Engine.Ports.InUse);
        // An audit returns the same filled Local, fingerprint included.
        var id = reply.Commands[0].TerminationIds[0];
        var audit = Single(await wire.Send(Action(reply.ContextId, AuditValue(id, AuditTokens.Media))));
        var audited = Assert.Single(Assert.IsType<AuditReply>(audit.Commands[0]).Audit!.Value.AsSpan().ToArray().OfType<MediaDescriptor>());
        Assert.Contains(audited.Stream!.Local!.Lines.AsSpan().ToArray(), l => l.Text == "a=fingerprint:" + a);
    }

    [Fact]
    public void Pem_mode_without_its_files_is_a_configuration_fault()
    {
        var options = new MediaOptions { CertificateMode = MgCertificateMode.PemFiles };
        Assert.Contains(options.Validate(), f => f.Contains("Media:CertificatePath", StringComparison.Ordinal));
        options.CertificatePath = "/nonexistent/mg.pem";
        options.PrivateKeyPath = "/nonexistent/mg.key";
        Assert.Contains(options.Validate(), f => f.Contains("does not exist", StringComparison.Ordinal));
        using var ue = UeCertificate.Create();
        options.CertificatePath = ue.CertPath;
        options.PrivateKeyPath = ue.CertPath;
        // The files exist: what is in them is read once, when the certificate source is made (by the MG at start).
        Assert.Empty(options.Validate());
        Assert.StartsWith("Media:CertificatePath/Media:PrivateKeyPath: ", Assert.Throws<ArgumentException>(() => options.CertificateSource()).Message, StringComparison.Ordinal);
        options.PrivateKeyPath = ue.KeyPath;
        Assert.Empty(options.Validate());
        Assert.Equal(TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der), options.CertificateSource().ForSession().Fingerprint());
        Assert.Empty(new MediaOptions { CertificateMode = MgCertificateMode.PerSession }.Validate());
    }

    internal static LocalRemoteDescriptor CertificateLocal(string setup) =>
        Local(setup, MsrpMedia.TlsProtocol, "a=fingerprint:sha-256 $\n");

    internal static LocalRemoteDescriptor TlsRemote(IPEndPoint peer, string setup, string fingerprint) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 " + peer.Address + "\nm=message " + peer.Port + " " + MsrpMedia.TlsProtocol
            + " *\na=setup:" + setup + "\na=fingerprint:" + fingerprint + "\n");

    /// <summary>An access leg authenticated by PSK: passive, the UE at <see cref="Ue1"/> connecting.</summary>
    internal static MediaDescriptor PskMedia(string identity, string key, string? minimum = null)
    {
        var properties = new List<PropertyParm> { PropertyParm.Of("tlsx", "pskid", identity), PropertyParm.Of("tlsx", "psk", key) };
        if (minimum is not null)
        {
            properties.Add(PropertyParm.Of("tlsx", "minver", minimum));
        }
        return new MediaDescriptor(Stream: new StreamParms(
            new LocalControlDescriptor(Properties: new ValueList<PropertyParm>(properties)),
            Local("passive", MsrpMedia.TlsProtocol),
            ActivePeer(Ue1, MsrpMedia.TlsProtocol)));
    }

    internal static byte[] MsrpSend(string transaction, string toPath, string fromPath, string body) =>
        System.Text.Encoding.ASCII.GetBytes(MsrpAwareTests.Send(transaction, toPath, fromPath, body));

    internal static string[] PskArguments(string option, string? cipher, string identity, string key) =>
        cipher is null
            ? [option, "-psk", key, "-psk_identity", identity]
            : [option, "-psk", key, "-psk_identity", identity, "-cipher", cipher];

    internal static OpenSsl StartClient(IPEndPoint mg, params string[] arguments) =>
        OpenSsl.Start(["s_client", "-connect", $"{mg.Address}:{mg.Port}", "-quiet", .. arguments]);

    internal static Task<string> OpenSslFingerprint(UeCertificate ue, CancellationToken cancellationToken) =>
        OpenSslFingerprint(ue.CertPath, cancellationToken);

    /// <summary>A certificate's fingerprint as openssl computes it (<c>x509 -fingerprint -sha256</c>), written as SDP's a=fingerprint value.</summary>
    private static async Task<string> OpenSslFingerprint(string certificatePath, CancellationToken cancellationToken)
    {
        var output = await RunOpenSsl(cancellationToken, "x509", "-in", certificatePath, "-noout", "-fingerprint", "-sha256");
        var equals = output.IndexOf('=', StringComparison.Ordinal);
        Assert.True(equals > 0, "openssl x509 printed no fingerprint: " + output);
        return "sha-256 " + output[(equals + 1)..].Trim();
    }

    /// <summary>Runs an openssl command to its end (bounded) and returns its stdout; a failure fails the test with its stderr.</summary>
    private static async Task<string> RunOpenSsl(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(OpenSsl.Require())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await Within(process.WaitForExitAsync(cancellationToken));
            Assert.True(process.ExitCode == 0, "openssl " + arguments[0] + " failed: " + await error);
            return await output;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>
    /// s_client's stdin reaches the core peer, then the core peer's bytes reach s_client's stdout; the core
    /// peer's FIN becomes close_notify and s_client ends.
    /// </summary>
    private static async Task ExchangeThroughClient(OpenSsl client, Socket corePeer, int size, CancellationToken cancellationToken)
    {
        var up = TlsRig.RandomBytes(size, 1);
        var down = TlsRig.RandomBytes(size, 2);
        var feed = Task.Run(async () =>
        {
            await client.Stdin.WriteAsync(up, cancellationToken);
            await client.Stdin.FlushAsync(cancellationToken);
        }, cancellationToken);
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await Within(ReceiveExactly(corePeer, up.Length))));
        await feed;
        var reading = client.ReadAllStdout(cancellationToken);
        await corePeer.SendAsync(down, SocketFlags.None, cancellationToken);
        corePeer.Shutdown(SocketShutdown.Send);
        var (count, hash) = await Within(reading);
        Assert.Equal(down.Length, count);
        Assert.Equal(SHA256.HashData(down), hash);
    }

    /// <summary>s_client's stdin reaches s_server's stdout, then s_server's stdin reaches s_client's stdout, through the MG.</summary>
    private static async Task ExchangeClientToServer(OpenSsl client, OpenSsl server, byte[] up, byte[] down, CancellationToken cancellationToken)
    {
        var feed = Task.Run(async () =>
        {
            await client.Stdin.WriteAsync(up, cancellationToken);
            await client.Stdin.FlushAsync(cancellationToken);
        }, cancellationToken);
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(await Within(server.ReadStdout(up.Length, cancellationToken))));
        await feed;
        await server.Stdin.WriteAsync(down, cancellationToken);
        await server.Stdin.FlushAsync(cancellationToken);
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await Within(client.ReadStdout(down.Length, cancellationToken))));
    }

    /// <summary>The refused leg relayed not one byte either way, the core peer got nothing, and both terminations remain for the MGC.</summary>
    private static async Task AssertNothingRelayed(Wire wire, ActionReply reply, Socket corePeer)
    {
        Assert.Equal(2, wire.Engine.TerminationCount);
        Assert.Equal(0, corePeer.Available);
        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        foreach (var command in subtract.Commands)
        {
            Assert.Equal(0, Statistic(command, "nt/os"));
            Assert.Equal(0, Statistic(command, "nt/or"));
        }
        // The core peer's connection ends with the Subtract, without a byte having come through.
        try
        {
            Assert.Equal(0, await Within(corePeer.ReceiveAsync(new byte[16], SocketFlags.None)));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Reset rather than FIN: still not a byte.
        }
    }

    internal static string Value(ObservedEvent observed, string parameter) =>
        observed.Parameters.AsSpan().ToArray().Single(p => p.Name.Item == parameter).Value!;
}
