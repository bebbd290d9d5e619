using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;
using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// TLS legs against openssl s_client and s_server on loopback: the MG as TLS server and client, TLS 1.2
/// and 1.3, certificate fingerprints and PSKs, the e2ae relay with bytes checked both ways, and every
/// refusal with its typed cause.
/// </summary>
public sealed class OpenSslTlsTests
{
    [Theory]
    [InlineData("-tls1_2", TlsVersion.Tls12, MgKeyType.EcdsaP256, false, FingerprintHash.Sha256)]
    [InlineData("-tls1_3", TlsVersion.Tls13, MgKeyType.EcdsaP256, false, FingerprintHash.Sha256)]
    [InlineData("-tls1_3", TlsVersion.Tls13, MgKeyType.Rsa, true, FingerprintHash.Sha384)]
    [InlineData("-tls1_2", TlsVersion.Tls12, MgKeyType.Rsa, true, FingerprintHash.Sha1)]
    public async Task MgServer_relays_an_s_client_to_clear_tcp_after_fingerprint_check(string version, TlsVersion expected, MgKeyType keyType, bool ueRsa, FingerprintHash hash)
    {
        using var ue = UeCertificate.Create(ueRsa);
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await AccessRig.Open([version, "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);

        var outcome = await TlsLeg.EstablishAsync(rig.Access, new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.GenerateSelfSigned(keyType),
            RemoteFingerprints = [TlsFingerprint.Compute(hash, ue.Der)],
        }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {rig.Client.Stderr}");
        Assert.Equal(expected, outcome.Leg!.Version);
        Assert.Equal(hash, outcome.Leg.MatchedFingerprint!.Hash);
        Assert.Matches(expected == TlsVersion.Tls13 ? "^TLS_(AES|CHACHA20)" : (keyType == MgKeyType.Rsa ? "^TLS_ECDHE_RSA_WITH_" : "^TLS_ECDHE_ECDSA_WITH_"), outcome.Leg.CipherSuiteName);
        await using var relay = rig.Relay(outcome.Leg);
        await TlsRig.ExchangeWithClient(rig.Client, relay, rig.CorePeer, TlsRig.RandomBytes(3 << 20, 1), TlsRig.RandomBytes(2 << 20, 2), cts.Token);
    }

    [Theory]
    [InlineData("-tls1_2", TlsVersion.Tls12)]
    [InlineData("-tls1_3", TlsVersion.Tls13)]
    public async Task MgClient_checks_the_s_server_fingerprint_and_relays_both_ways(string version, TlsVersion expected)
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var mg = MgCertificate.GenerateSelfSigned();
        var (server, access) = await TlsRig.StartServer([version, "-cert", ue.CertPath, "-key", ue.KeyPath, "-Verify", "1"], cts.Token);
        await using var _s = server;
        await using var _a = access;

        var outcome = await TlsLeg.EstablishAsync(access, new TlsEndpointOptions
        {
            Role = TlsRole.Client,
            Certificate = mg,
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha1, new byte[] { 1 }), TlsFingerprint.Compute(FingerprintHash.Sha512, ue.Der)],
        }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {server.Stderr}");
        Assert.Equal(expected, outcome.Leg!.Version);
        Assert.Equal(FingerprintHash.Sha512, outcome.Leg.MatchedFingerprint!.Hash);
        var pool = Loopback.Pool();
        var (core, corePeer) = await TlsRig.Core(pool, cts.Token);
        using var _ = corePeer;
        await using var relay = Relay.Start(RelayLeg.Secured(outcome.Leg), RelayLeg.Plain(core));
        await TlsRig.ExchangeWithServer(server, corePeer, TlsRig.RandomBytes(1 << 20, 3), TlsRig.RandomBytes(1 << 20, 4), cts.Token);
        // The core peer's FIN becomes close_notify and FIN towards s_server, which closes in turn.
        corePeer.Shutdown(SocketShutdown.Send);
        Assert.True(await server.WaitForExit(Loopback.Timeout), "s_server did not end on close_notify");
        await Loopback.Within(relay.Completion);
    }

    [Theory]
    [InlineData("-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData("-tls1_2", "DHE-PSK-AES256-GCM-SHA384", "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384")]
    [InlineData("-tls1_2", "PSK-AES128-GCM-SHA256", "TLS_PSK_WITH_AES_128_GCM_SHA256")]
    [InlineData("-tls1_3", null, "TLS_(AES_128_GCM|CHACHA20_POLY1305)_SHA256")]
    public async Task MgServer_accepts_an_s_client_psk(string version, string? cipher, string expectedSuite)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await AccessRig.Open(PskArguments(version, cipher, TlsRig.PskIdentity, TlsRig.PskHex), cts.Token);

        var outcome = await TlsLeg.EstablishAsync(rig.Access, new TlsEndpointOptions { Role = TlsRole.Server, Psk = TlsRig.Psk }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {rig.Client.Stderr}");
        Assert.Matches($"^{expectedSuite}$", outcome.Leg!.CipherSuiteName);
        Assert.Null(outcome.Leg.MatchedFingerprint);
        await using var relay = rig.Relay(outcome.Leg);
        await TlsRig.ExchangeWithClient(rig.Client, relay, rig.CorePeer, TlsRig.RandomBytes(256 << 10, 5), TlsRig.RandomBytes(256 << 10, 6), cts.Token);
    }

    [Theory]
    [InlineData("-tls1_2", TlsVersion.Tls12)]
    [InlineData("-tls1_3", TlsVersion.Tls13)]
    public async Task MgClient_offers_its_psk_to_an_s_server(string version, TlsVersion expected)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var (server, access) = await TlsRig.StartServer(
            [version, "-nocert", "-psk", TlsRig.PskHex, "-psk_identity", TlsRig.PskIdentity, "-cipher", "ECDHE-PSK-CHACHA20-POLY1305:PSK-AES256-GCM-SHA384"], cts.Token);
        await using var _s = server;
        await using var _a = access;

        var outcome = await TlsLeg.EstablishAsync(access, new TlsEndpointOptions { Role = TlsRole.Client, Psk = TlsRig.Psk }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {server.Stderr}");
        Assert.Equal(expected, outcome.Leg!.Version);
        var (core, corePeer) = await TlsRig.Core(Loopback.Pool(), cts.Token);
        using var _ = corePeer;
        await using var relay = Relay.Start(RelayLeg.Secured(outcome.Leg), RelayLeg.Plain(core));
        await TlsRig.ExchangeWithServer(server, corePeer, TlsRig.RandomBytes(64 << 10, 7), TlsRig.RandomBytes(64 << 10, 8), cts.Token);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_certificate_matching_no_fingerprint_is_refused(string version)
    {
        using var ue = UeCertificate.Create();
        using var other = UeCertificate.Create();
        var outcome = await ServeClient([version, "-cert", ue.CertPath, "-key", ue.KeyPath], CertificateServer(other.Der));
        AssertRefused(outcome, TlsFailureCause.FingerprintMismatch);
        Assert.Equal(AlertDescription.bad_certificate, outcome.Alert);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_client_without_certificate_is_refused(string version)
    {
        using var ue = UeCertificate.Create();
        var outcome = await ServeClient([version], CertificateServer(ue.Der));
        AssertRefused(outcome, TlsFailureCause.NoCertificate);
    }

    [Theory]
    [InlineData("-tls1_2", "PSK-AES128-GCM-SHA256")]
    [InlineData("-tls1_3", null)]
    public async Task A_wrong_psk_is_refused(string version, string? cipher)
    {
        var outcome = await ServeClient(PskArguments(version, cipher, TlsRig.PskIdentity, "ffeeddccbbaa99887766554433221100"), PskServer());
        AssertRefused(outcome, TlsFailureCause.PskBad);
    }

    [Theory]
    [InlineData("-tls1_2", "PSK-AES128-GCM-SHA256")]
    [InlineData("-tls1_3", null)]
    public async Task An_unknown_psk_identity_is_refused(string version, string? cipher)
    {
        var outcome = await ServeClient(PskArguments(version, cipher, "intruder", TlsRig.PskHex), PskServer());
        AssertRefused(outcome, TlsFailureCause.PskUnknown);
    }

    [Fact]
    public async Task An_s_server_certificate_matching_no_fingerprint_is_refused_by_the_mg_client()
    {
        using var ue = UeCertificate.Create();
        var outcome = await ConnectToServer(["-cert", ue.CertPath, "-key", ue.KeyPath], new TlsEndpointOptions
        {
            Role = TlsRole.Client,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [MgCertificate.GenerateSelfSigned().Fingerprint()],
        });

        AssertRefused(outcome, TlsFailureCause.FingerprintMismatch);
    }

    [Fact]
    public async Task An_alert_from_the_peer_is_reported_with_its_description()
    {
        // The MG offers TLS 1.2 only; an s_server restricted to TLS 1.3 answers protocol_version (RFC 8446 §4.2.1).
        using var ue = UeCertificate.Create();
        var outcome = await ConnectToServer(["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], new TlsEndpointOptions
        {
            Role = TlsRole.Client,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der)],
            MaxVersion = TlsVersion.Tls12,
        });

        AssertRefused(outcome, TlsFailureCause.PeerAlert);
        Assert.Equal(AlertDescription.protocol_version, outcome.Alert);
    }

    [Fact]
    public async Task A_renegotiation_is_refused()
    {
        // s_client's "R" command asks for a TLS 1.2 renegotiation (RFC 5746); the MG answers no_renegotiation.
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await AccessRig.Open(["-tls1_2", "-cert", ue.CertPath, "-key", ue.KeyPath, "-no_ign_eof"], cts.Token);
        var outcome = await TlsLeg.EstablishAsync(rig.Access, CertificateServer(ue.Der), cts.Token);
        Assert.True(outcome.IsEstablished, outcome.ToString());
        await using var relay = rig.Relay(outcome.Leg!);

        await rig.Client.Stdin.WriteAsync("R\n"u8.ToArray(), cts.Token);
        await rig.Client.Stdin.FlushAsync(cts.Token);
        Assert.True(await rig.Client.WaitForExit(Loopback.Timeout), "s_client kept running");
        Assert.Contains("no renegotiation", rig.Client.Stderr, StringComparison.OrdinalIgnoreCase);
        await Loopback.Within(relay.Completion);
        Assert.Equal(0, relay.BytesReceived(RelaySide.A));
    }

    [Fact]
    public async Task A_raw_fatal_alert_instead_of_a_client_hello_is_a_peer_alert()
    {
        // RFC 8446 §5.1/§6: an alert record, fatal (2), handshake_failure (40).
        var outcome = await ServeRaw([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], TimeSpan.FromSeconds(10));
        AssertRefused(outcome, TlsFailureCause.PeerAlert);
        Assert.Equal(AlertDescription.handshake_failure, outcome.Alert);
    }

    [Fact]
    public async Task Clear_text_instead_of_a_client_hello_is_a_protocol_error()
    {
        var outcome = await ServeRaw("MSRP a786hjs2 SEND\r\nTo-Path: msrp://x\r\n\r\n"u8.ToArray(), TimeSpan.FromSeconds(10));
        AssertRefused(outcome, TlsFailureCause.Protocol);
    }

    [Fact]
    public async Task A_peer_that_connects_and_says_nothing_times_out()
    {
        var outcome = await ServeRaw([], TimeSpan.FromMilliseconds(300));
        AssertRefused(outcome, TlsFailureCause.Timeout);
    }

    private static TlsEndpointOptions CertificateServer(byte[] expectedDer) => new()
    {
        Role = TlsRole.Server,
        Certificate = MgCertificate.GenerateSelfSigned(),
        RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, expectedDer)],
    };

    private static TlsEndpointOptions PskServer() => new() { Role = TlsRole.Server, Psk = TlsRig.Psk };

    private static string[] PskArguments(string version, string? cipher, string identity, string keyHex) =>
        cipher is null
            ? [version, "-psk", keyHex, "-psk_identity", identity]
            : [version, "-psk", keyHex, "-psk_identity", identity, "-cipher", cipher];

    private static void AssertRefused(TlsOutcome outcome, TlsFailureCause cause)
    {
        Assert.False(outcome.IsEstablished, outcome.ToString());
        Assert.Null(outcome.Leg);
        Assert.True(cause == outcome.Cause, $"expected {cause}, got {outcome}");
    }

    /// <summary>An s_client with <paramref name="arguments"/> against the MG as TLS server; returns the MG's outcome.</summary>
    private static async Task<TlsOutcome> ServeClient(string[] arguments, TlsEndpointOptions options)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var access = Loopback.Passive(Loopback.Pool());
        await using var client = await TlsRig.StartClient(access, arguments, cts.Token);
        return await TlsLeg.EstablishAsync(access, options, cts.Token);
    }

    /// <summary>The MG as TLS client with <paramref name="options"/> against an s_server with <paramref name="arguments"/>; returns the MG's outcome.</summary>
    private static async Task<TlsOutcome> ConnectToServer(string[] arguments, TlsEndpointOptions options)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var (server, access) = await TlsRig.StartServer(arguments, cts.Token);
        await using var _s = server;
        await using var _a = access;
        return await TlsLeg.EstablishAsync(access, options, cts.Token);
    }

    /// <summary>A raw peer that sends <paramref name="bytes"/> (maybe none) to the MG as TLS server and waits.</summary>
    private static async Task<TlsOutcome> ServeRaw(byte[] bytes, TimeSpan handshakeTimeout)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var access = Loopback.Passive(Loopback.Pool());
        var accept = access.EstablishAsync(cts.Token);
        using var peer = await Loopback.ConnectFrom(Loopback.Ue1, access.ListenEndPoint!);
        Assert.Equal(BearerOutcome.Established, await accept);
        if (bytes.Length > 0)
        {
            await peer.SendAsync(bytes, SocketFlags.None, cts.Token);
        }
        using var ue = UeCertificate.Create();
        var options = CertificateServer(ue.Der);
        return await TlsLeg.EstablishAsync(access, new TlsEndpointOptions
        {
            Role = options.Role,
            Certificate = options.Certificate,
            RemoteFingerprints = options.RemoteFingerprints,
            HandshakeTimeout = handshakeTimeout,
        }, cts.Token);
    }
}
