using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tests.Tls;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.ConferenceWire;
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
        await using var wire = StartMrfp();
        var reply = await AddAll(wire, CertificateParticipant(Alice, fingerprint), TcpParticipant(Bob), PskParticipant(Carol));
        var ids = Ids(reply);
        await using var alice = await JoinSsl(wire, reply.Commands[0], Alice, ue, cts.Token, version: "tls13");
        await using var bob = await JoinPlain(wire, reply.Commands[1], Bob);
        await using var carol = await JoinOpenSsl(wire, reply.Commands[2], Carol,
            PskArguments("-tls1_2", "ECDHE-PSK-CHACHA20-POLY1305", PskIdentity, PskHex), version: "tls12");

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
        await SendToAll(peers, 0, "m0dA1", "after the modifies", cts.Token);
        await SendToAll(peers, 2, "m0dC1", "still protected", cts.Token);
    }

    private static MediaDescriptor Tls(params (string Name, string Value)[] properties) =>
        new(Stream: new StreamParms(new LocalControlDescriptor(Properties: [.. properties.Select(p => PropertyParm.Of("tlsx", p.Name, p.Value))])));
}
