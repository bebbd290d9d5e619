using System.Net;
using System.Net.Sockets;
using Megaco.Mg.Tests.Tls;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.MsrpAwareTests;
using static Megaco.Mg.Tests.Contexts.TlsTerminationTests;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// Conference participants over the H.248 wire (an MRFP context, profile mp): their media descriptors, joining
/// them (connect, then the MG's tcpx/est or tlsx/est), a SEND to all, and their Subtract statistics.
/// </summary>
internal static class ConferenceWire
{
    public static readonly string[] LegEvents = ["tcpx/est", "tcpx/lost", "tlsx/est", "tlsx/fail"];

    /// <summary>An MRFP engine (profile mp, up to eight terminations per context).</summary>
    public static Wire StartMrfp(bool privateProfile = false, Action<Megaco.Mg.Contexts.MediaOptions>? configure = null) =>
        Start(maxTerminations: 8, profile: "mp", privateProfile: privateProfile, configure: configure);

    /// <summary>Adds the participants to a new context, each asking for <see cref="LegEvents"/>.</summary>
    public static async Task<ActionReply> AddAll(Wire wire, params MediaDescriptor[] participants) =>
        Single(await wire.Send(Action(ContextId.Choose,
            [.. participants.Select((media, n) => Add(media, Events((uint)n + 1, LegEvents)))])));

    public static TerminationId[] Ids(ActionReply reply) => [.. reply.Commands.AsSpan().ToArray().Select(c => c.TerminationIds[0])];

    public static string MgUri(CommandReply added) => Assert.Single(LocalOf(added).Path);

    /// <summary>A TCP participant connected from <paramref name="from"/> (127.0.0.1 by default), once the MG reports it.</summary>
    public static async Task<ConferencePeer> JoinPlain(Wire wire, CommandReply added, string path, IPAddress? from = null)
    {
        var peer = ConferencePeer.Plain(path, await ConnectFrom(from ?? Ue1, EndPointOf(added)));
        peer.MgUri = MgUri(added);
        await Joined(wire, added, "tcpx/est", peer);
        return peer;
    }

    /// <summary>
    /// A C# TLS participant presenting <paramref name="ue"/>'s certificate, on <paramref name="connected"/> or a new
    /// connection, once the MG reports its session (tlsx/est, with <paramref name="version"/> when given).
    /// </summary>
    public static async Task<ConferencePeer> JoinSsl(Wire wire, CommandReply added, string path, UeCertificate ue, CancellationToken cancellationToken,
        Socket? connected = null, string? version = null)
    {
        Assert.True(TlsFingerprint.TryParse(Assert.Single(LocalOf(added).Fingerprints), out var mgFingerprint));
        var peer = await Within(ConferencePeer.SslClient(path, connected ?? await ConnectFrom(Ue1, EndPointOf(added)), ue, mgFingerprint, cancellationToken));
        peer.MgUri = MgUri(added);
        await Joined(wire, added, "tlsx/est", peer, version);
        return peer;
    }

    /// <summary>An openssl s_client participant (<c>-quiet</c> and <paramref name="arguments"/>), once the MG reports its session.</summary>
    public static async Task<ConferencePeer> JoinOpenSsl(Wire wire, CommandReply added, string path, string[] arguments, bool lfOnly = false, string? version = null)
    {
        var peer = ConferencePeer.OpenSslClient(path, StartClient(EndPointOf(added), arguments), lfOnly);
        peer.MgUri = MgUri(added);
        await Joined(wire, added, "tlsx/est", peer, version);
        return peer;
    }

    private static async Task Joined(Wire wire, CommandReply added, string item, ConferencePeer peer, string? version = null)
    {
        try
        {
            var observed = await wire.NextEvent(added.TerminationIds[0], item);
            if (version is not null)
            {
                Assert.Equal(version, Value(observed, "ver"));
            }
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="sender"/>'s SEND reaches every other participant exactly as the conference writes it for
    /// that leg (its To-Path and the MG's From-Path on it, every other byte as sent), and the sender gets its 200.
    /// </summary>
    public static async Task SendToAll(ConferencePeer[] peers, int sender, string transaction, string body, CancellationToken cancellationToken)
    {
        var from = peers[sender];
        await from.WriteAsync(Send(transaction, from.MgUri, from.Path, body), cancellationToken);
        foreach (var to in peers)
        {
            if (to != from)
            {
                var expected = Send(transaction, to.Path, to.MgUri, body);
                Assert.Equal(expected, await to.ReadAsync(expected.Length));
            }
        }
        Assert.StartsWith("MSRP " + transaction + " 200 OK\r\nTo-Path: " + from.Path + "\r\nFrom-Path: " + from.MgUri + "\r\n",
            await from.ReadMessageAsync(transaction), StringComparison.Ordinal);
    }

    /// <summary>The participant's Subtract statistics are exactly what went over its connection (clear octets on TLS).</summary>
    public static void AssertCounted(ConferencePeer peer, CommandReply subtracted)
    {
        Assert.Equal(peer.Sent, Statistic(subtracted, "nt/or"));
        Assert.Equal(peer.Received, Statistic(subtracted, "nt/os"));
    }

    public static MediaDescriptor TcpParticipant(string path, bool latch = false) =>
        Media(Local("passive", extra: "a=path:$\n"), PeerSdp(MsrpMedia.TcpProtocol, path, ""), latch: latch);

    /// <summary>A TLS participant authenticated by its certificate's fingerprint; the MG is the TLS server.</summary>
    public static MediaDescriptor CertificateParticipant(string path, string fingerprint) =>
        Media(Local("passive", MsrpMedia.TlsProtocol, "a=fingerprint:sha-256 $\na=path:$\n"),
            PeerSdp(MsrpMedia.TlsProtocol, path, "a=fingerprint:" + fingerprint + "\n"));

    /// <summary>A TLS participant authenticated by the PSK the MGC gives (tlsx/pskid, tlsx/psk); the MG is the TLS server.</summary>
    public static MediaDescriptor PskParticipant(string path) =>
        new(Stream: new StreamParms(
            new LocalControlDescriptor(Properties: [PropertyParm.Of("tlsx", "pskid", PskIdentity), PropertyParm.Of("tlsx", "psk", PskHex)]),
            Local("passive", MsrpMedia.TlsProtocol, "a=path:$\n"),
            PeerSdp(MsrpMedia.TlsProtocol, path, "")));

    /// <summary>The participant's SDP: it connects (active) from 127.0.0.1, port 9 (RFC 4145).</summary>
    public static LocalRemoteDescriptor PeerSdp(string protocol, string path, string extra) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 " + IPAddress.Loopback + "\nm=message 9 " + protocol + " *\na=setup:active\na=path:" + path + "\n" + extra);
}
