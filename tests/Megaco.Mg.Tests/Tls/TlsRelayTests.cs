using System.Net;
using System.Net.Sockets;
using System.Text;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// A TLS leg inside a relay, with the MG's own engine as the UE (TLS 1.3 PSK): half-close through
/// close_notify, and a session broken after its handshake ending the relay without an exception escaping.
/// </summary>
public sealed class TlsRelayTests
{
    [Fact]
    public async Task A_close_notify_is_the_ues_fin_and_the_other_direction_keeps_flowing()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await Rig.OpenAsync(cts.Token);

        await rig.Ue.SendAsync("first"u8.ToArray(), cts.Token);
        Assert.Equal("first"u8.ToArray(), await Loopback.Within(Loopback.ReceiveExactly(rig.CorePeer, 5)));
        await rig.Ue.CloseSendAsync(cts.Token);
        // The UE's close_notify reaches the core peer as a FIN...
        Assert.Equal(0, await rig.CorePeer.ReceiveAsync(new byte[1], SocketFlags.None, cts.Token));
        // ...while the core peer can still answer, encrypted, and its FIN becomes our close_notify.
        await rig.CorePeer.SendAsync("answer"u8.ToArray(), SocketFlags.None, cts.Token);
        rig.CorePeer.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[64];
        while (true)
        {
            await rig.Ue.WaitForDataAsync(cts.Token);
            var n = await rig.Ue.ReceiveAsync(buffer, cts.Token);
            if (n == 0)
            {
                break;
            }
            received.Write(buffer, 0, n);
        }
        Assert.Equal("answer", Encoding.ASCII.GetString(received.ToArray()));
        var end = await Loopback.Within(rig.Relay.Completion);
        Assert.Equal(RelayEndReason.Closed, end.Reason);
    }

    [Fact]
    public async Task A_corrupted_record_after_the_handshake_ends_the_relay_and_resets_the_core_peer()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await using var rig = await Rig.OpenAsync(cts.Token);

        await rig.Ue.SendAsync("before"u8.ToArray(), cts.Token);
        Assert.Equal("before"u8.ToArray(), await Loopback.Within(Loopback.ReceiveExactly(rig.CorePeer, 6)));
        // An application_data record whose ciphertext cannot authenticate (RFC 8446 §5.2: bad_record_mac).
        byte[] forged = [0x17, 0x03, 0x03, 0x00, 0x20, .. new byte[0x20]];
        await rig.UeBearer.Connection.SendAsync(forged, SocketFlags.None, cts.Token);

        var end = await Loopback.Within(rig.Relay.Completion);
        Assert.Equal(RelayEndReason.TlsFailed, end.Reason);
        Assert.Equal(RelaySide.A, end.Side);
        Assert.True(await Loopback.IsReset(rig.CorePeer));
        Assert.Equal(6, rig.Relay.BytesSent(RelaySide.B));
    }

    /// <summary>MG (TLS server, relay side A) ⇄ clear core peer (side B); the UE is a second MG engine as TLS client.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(Relay relay, TcpBearer ueBearer, ITlsChannel ue, Socket corePeer)
        {
            Relay = relay;
            UeBearer = ueBearer;
            Ue = ue;
            CorePeer = corePeer;
        }

        public Relay Relay { get; }

        public TcpBearer UeBearer { get; }

        public ITlsChannel Ue { get; }

        public Socket CorePeer { get; }

        public static async Task<Rig> OpenAsync(CancellationToken cancellationToken)
        {
            var pool = Loopback.Pool();
            var access = Loopback.Passive(pool);
            var (core, corePeer) = await TlsRig.Core(pool, cancellationToken);
            var accept = access.EstablishAsync(cancellationToken);
            var ueBearer = TcpBearer.Create(new TcpBearerOptions { Role = SetupRole.Active, Remote = new IPEndPoint(Loopback.Ue1, access.ListenEndPoint!.Port) });
            Assert.Equal(BearerOutcome.Established, await ueBearer.EstablishAsync(cancellationToken));
            Assert.Equal(BearerOutcome.Established, await accept);
            var options = new TlsEndpointOptions { Role = TlsRole.Server, Psk = TlsRig.Psk, MinVersion = TlsVersion.Tls13 };
            var server = TlsLeg.EstablishAsync(access, options, cancellationToken).AsTask();
            var client = await TlsLeg.EstablishAsync(ueBearer, new TlsEndpointOptions { Role = TlsRole.Client, Psk = TlsRig.Psk, MinVersion = TlsVersion.Tls13 }, cancellationToken);
            var served = await server;
            Assert.True(served.IsEstablished && client.IsEstablished, $"{served} / {client}");
            var relay = Relay.Start(RelayLeg.Secured(served.Leg!), RelayLeg.Plain(core));
            return new Rig(relay, ueBearer, client.Leg!.Channel, corePeer);
        }

        public async ValueTask DisposeAsync()
        {
            CorePeer.Dispose();
            await UeBearer.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }
}
