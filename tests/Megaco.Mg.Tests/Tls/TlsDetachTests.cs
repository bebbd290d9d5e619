using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

/// <summary>A relay with a TLS side detached mid-stream: the session (and a record read in part) goes on in the next relay.</summary>
public sealed class TlsDetachTests
{
    [Fact]
    public async Task A_tls_leg_detached_mid_stream_goes_on_in_a_new_relay_without_losing_a_byte()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await AccessRig.Open(["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);
        var outcome = await TlsLeg.EstablishAsync(rig.Access, new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der)],
        }, cts.Token);
        Assert.True(outcome.IsEstablished, $"{outcome} / {rig.Client.Stderr}");

        var up = TlsRig.RandomBytes(4 << 20, 21);
        var first = rig.Relay(outcome.Leg!);
        var feed = Task.Run(async () =>
        {
            await rig.Client.Stdin.WriteAsync(up, cts.Token);
            await rig.Client.Stdin.FlushAsync(cts.Token);
        }, cts.Token);
        var arrived = new byte[up.Length];
        var count = 0;
        while (count < 256 << 10)
        {
            count += await rig.CorePeer.ReceiveAsync(arrived.AsMemory(count), SocketFlags.None, cts.Token);
        }
        Assert.Equal(RelayEndReason.Detached, (await Loopback.Within(first.DetachAsync(TimeSpan.FromSeconds(10)).AsTask())).Reason);
        var before = first.BytesReceived(RelaySide.A);
        await first.DisposeAsync();

        await using var second = rig.Relay(outcome.Leg!);
        while (count < up.Length)
        {
            var n = await rig.CorePeer.ReceiveAsync(arrived.AsMemory(count), SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            count += n;
        }
        await feed;
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(arrived));
        Assert.Equal(up.Length, before + second.BytesReceived(RelaySide.A));
        Assert.True(before < up.Length, "the detach came after the whole stream; the test proves less than it should");

        // The session still works the other way, through the second relay.
        var down = TlsRig.RandomBytes(64 << 10, 22);
        var reading = rig.Client.ReadStdout(down.Length, cts.Token);
        await rig.CorePeer.SendAsync(down, SocketFlags.None, cts.Token);
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await Loopback.Within(reading)));
    }
}
