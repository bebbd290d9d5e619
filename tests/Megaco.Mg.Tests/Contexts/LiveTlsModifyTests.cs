using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tests.Tls;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.TlsConferenceTests;
using static Megaco.Mg.Tests.Contexts.TlsTerminationTests;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// A Modify of the TLS parameters of a leg whose session is up (here MRFP conference legs): the MG does not
/// re-handshake, so what the live session still satisfies is accepted and anything else is 501, with the
/// session and the conference going on unchanged either way.
/// </summary>
public sealed class LiveTlsModifyTests
{
    private const string Alice = "msrps://127.0.0.1:9/alice1;tcp";
    private const string Bob = "msrp://127.0.0.1:9/bob1;tcp";
    private const string Carol = "msrps://127.0.0.1:9/carol1;tcp";

    [Fact]
    public async Task What_the_live_session_satisfies_is_accepted_and_anything_else_is_501()
    {
        using var ue = UeCertificate.Create();
        using var other = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var fingerprint = await OpenSslFingerprint(ue, cts.Token);
        await using var wire = Start(maxTerminations: 8, profile: "mp");
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(CertificateParticipant(Alice, fingerprint), Events(1, "tlsx/est")),
            Add(TcpParticipant(Bob), Events(2, "tcpx/est")),
            Add(PskParticipant(Carol), Events(3, "tlsx/est")))));
        var ids = reply.Commands.AsSpan().ToArray().Select(c => c.TerminationIds[0]).ToArray();
        Assert.True(TlsFingerprint.TryParse(Assert.Single(LocalOf(reply.Commands[0]).Fingerprints), out var mgOnAlice));

        await using var alice = await Within(ConferencePeer.SslClient(Alice, await ConnectFrom(Ue1, EndPointOf(reply.Commands[0])), ue, mgOnAlice, cts.Token));
        Assert.Equal("tls13", Value(await wire.NextEvent(ids[0], "tlsx/est"), "ver"));
        await using var bob = ConferencePeer.Plain(Bob, await ConnectFrom(Ue1, EndPointOf(reply.Commands[1])));
        await wire.NextEvent(ids[1], "tcpx/est");
        await using var carol = ConferencePeer.OpenSslClient(Carol,
            StartClient(EndPointOf(reply.Commands[2]), PskArguments("-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305", PskIdentity, PskHex)));
        Assert.Equal("tls12", Value(await wire.NextEvent(ids[2], "tlsx/est"), "ver"));

        // Satisfied: the same Remote again; a Remote list that still holds the verified fingerprint; a minimum
        // the session meets; the same PSK again.
        var verifiedAndAnother = "a=fingerprint:" + fingerprint + "\na=fingerprint:" + await OpenSslFingerprint(other, cts.Token) + "\n";
        Single(await wire.Send(Action(reply.ContextId,
            Modify(ids[0], Media(remote: PeerSdp(MsrpMedia.TlsProtocol, Alice, "a=fingerprint:" + fingerprint + "\n"))),
            Modify(ids[0], Media(remote: PeerSdp(MsrpMedia.TlsProtocol, Alice, verifiedAndAnother))),
            Modify(ids[0], Tls(("minver", "tls13"))),
            Modify(ids[2], Tls(("pskid", PskIdentity), ("psk", PskHex), ("minver", "tls12"))))));

        // Not satisfied: the verified certificate no longer listed; clear TCP; a minimum above the session's
        // version; another key.
        CommandRequest[] unsatisfiable =
        [
            Modify(ids[0], Media(remote: PeerSdp(MsrpMedia.TlsProtocol, Alice, "a=fingerprint:" + await OpenSslFingerprint(other, cts.Token) + "\n"))),
            Modify(ids[0], Media(Local("passive", extra: "a=path:$\n"), PeerSdp(MsrpMedia.TcpProtocol, Alice.Replace("msrps", "msrp", StringComparison.Ordinal), ""))),
            Modify(ids[2], Tls(("minver", "tls13"))),
            Modify(ids[2], Tls(("pskid", PskIdentity), ("psk", "ffeeddccbbaa99887766554433221100"))),
        ];
        foreach (var modify in unsatisfiable)
        {
            var refused = await wire.Send(Action(reply.ContextId, modify));
            Assert.Equal((ushort)501, ErrorCode(refused));
            Assert.Contains("is established", refused.Actions[^1].Error!.Text, StringComparison.Ordinal);
        }

        // The sessions and the conference went on untouched.
        ConferencePeer[] peers = [alice, bob, carol];
        for (var n = 0; n < 3; n++)
        {
            peers[n].MgUri = Assert.Single(LocalOf(reply.Commands[n]).Path);
        }
        await SendToAll(peers, 0, "m0dA1", "after the modifies", cts.Token);
        await SendToAll(peers, 2, "m0dC1", "still protected", cts.Token);
    }

    private static MediaDescriptor Tls(params (string Name, string Value)[] properties) =>
        new(Stream: new StreamParms(new LocalControlDescriptor(Properties: [.. properties.Select(p => PropertyParm.Of("tlsx", p.Name, p.Value))])));
}
