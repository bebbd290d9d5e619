using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

/// <summary>The SslStream engine behind the same interface: certificates with the fingerprint check against openssl peers, PSK handed to BouncyCastle.</summary>
public sealed class SslStreamEngineTests
{
    private static readonly ITlsEngine Engine = SslStreamTlsEngine.Instance;

    [Theory]
    [InlineData("-tls1_2", TlsVersion.Tls12, MgKeyType.EcdsaP256)]
    [InlineData("-tls1_3", TlsVersion.Tls13, MgKeyType.Rsa)]
    public async Task MgServer_relays_an_s_client_after_the_fingerprint_check(string version, TlsVersion expected, MgKeyType keyType)
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await AccessRig.Open([version, "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);

        var outcome = await Engine.EstablishAsync(rig.Access, new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.GenerateSelfSigned(keyType),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der)],
        }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {rig.Client.Stderr}");
        Assert.Equal(expected, outcome.Leg!.Version);
        Assert.StartsWith("TLS_", outcome.Leg.CipherSuiteName, StringComparison.Ordinal);
        await using var relay = rig.Relay(outcome.Leg);
        await TlsRig.ExchangeWithClient(rig.Client, relay, rig.CorePeer, TlsRig.RandomBytes(1 << 20, 21), TlsRig.RandomBytes(1 << 20, 22), cts.Token);
    }

    [Fact]
    public async Task MgClient_checks_the_s_server_fingerprint_and_relays()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var (server, access) = await TlsRig.StartServer(["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath, "-Verify", "1"], cts.Token);
        await using var _s = server;
        await using var _a = access;

        var outcome = await Engine.EstablishAsync(access, new TlsEndpointOptions
        {
            Role = TlsRole.Client,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha1, ue.Der)],
        }, cts.Token);

        Assert.True(outcome.IsEstablished, $"{outcome} / {server.Stderr}");
        var (core, corePeer) = await TlsRig.Core(Loopback.Pool(), cts.Token);
        using var _ = corePeer;
        await using var relay = Relay.Start(RelayLeg.Secured(outcome.Leg!), RelayLeg.Plain(core));
        await TlsRig.ExchangeWithServer(server, corePeer, TlsRig.RandomBytes(64 << 10, 23), TlsRig.RandomBytes(64 << 10, 24), cts.Token);
    }

    [Fact]
    public async Task A_wrong_fingerprint_and_a_missing_certificate_are_refused_with_their_causes()
    {
        using var ue = UeCertificate.Create();
        using var other = UeCertificate.Create();
        var mismatch = await Serve([ "-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], other.Der);
        Assert.Equal(TlsFailureCause.FingerprintMismatch, mismatch.Cause);
        var none = await Serve(["-tls1_2"], ue.Der);
        Assert.Equal(TlsFailureCause.NoCertificate, none.Cause);
        Assert.Null(none.Leg);
    }

    [Fact]
    public async Task A_psk_goes_to_bouncycastle()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var access = Loopback.Passive(Loopback.Pool());
        await using var client = await TlsRig.StartClient(access, ["-tls1_3", "-psk", TlsRig.PskHex, "-psk_identity", TlsRig.PskIdentity], cts.Token);
        var outcome = await Engine.EstablishAsync(access, new TlsEndpointOptions { Role = TlsRole.Server, Psk = TlsRig.Psk }, cts.Token);
        Assert.True(outcome.IsEstablished, $"{outcome} / {client.Stderr}");
        Assert.Equal(TlsVersion.Tls13, outcome.Leg!.Version);
    }

    private static async Task<TlsOutcome> Serve(string[] arguments, byte[] expectedDer)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var access = Loopback.Passive(Loopback.Pool());
        await using var client = await TlsRig.StartClient(access, arguments, cts.Token);
        return await Engine.EstablishAsync(access, new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, expectedDer)],
        }, cts.Token);
    }
}
