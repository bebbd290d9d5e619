using System.Net;
using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>
/// The call-related procedures of the Iq profile that the MG implements, each as the IMS-ALG sends it in H.248 text
/// (<see cref="TextMgc"/>) to the MG process, for an MSRP stream over TCP. The procedure names are those of TS 23.334
/// §8 (stage 2, read at itecspec.com and tech-invite.com; "Reserve and Configure AGW Connection Point" is its §8.2,
/// Table 8.2.1), which TS 29.334 (stage 3) maps onto H.248 commands; TS 29.334's own §6.2 clause numbers were not
/// reachable in any stored copy, so the stage-2 names are cited.
/// Procedures of the profile tested elsewhere and not repeated here: latching (<c>Sessions/LatchingTests</c>), TLS
/// establishment and failure (<c>Tls/TlsAtTheAccessEdgeTests</c>; the engine's <c>Contexts/TlsTerminationTests</c>),
/// IP bearer released (<c>Sessions/EventTests.A_UE_that_resets_its_connection_is_reported_as_lost</c>), application
/// data inactivity under a private profile copy (<c>Sessions/EventTests</c>).
/// </summary>
public sealed class IqProcedureTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>TS 23.334 §8 "Reserve AGW Connection Point": an Add with a Local whose address and port are <c>$</c>;
    /// the MG answers with the address and port it reserved (H.248.1 Annex C) and its TCP role.</summary>
    [Fact]
    public Task Reserve_AGW_Connection_Point_answers_the_address_and_port_the_MG_reserved() => TextMgc.RunAsync("iq", async (rig, mgc, ct) =>
    {

        var reply = TextMgc.Single(await mgc.SendAsync($"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {TextMgc.Local("$")} }} }} }} }}", ct));
        Assert.False(reply.ContextId.IsChoose);
        var add = Assert.Single(reply.Commands.AsSpan().ToArray());
        var id = Assert.Single(add.TerminationIds.AsSpan().ToArray());
        Assert.StartsWith("msrp/", id.Text, StringComparison.Ordinal);
        var local = TextMgc.LocalOf(add);
        Assert.Equal(IPAddress.Loopback, local.Address);
        Assert.InRange(local.Port!.Value, rig.FirstPort, rig.LastPort);
        // Without a Remote yet the MG waits for the peer (RFC 4145 §4.1 passive).
        Assert.Equal(SetupRole.Passive, local.Setup);

        // The reservation reads back from an audit of the termination.
        var audit = TextMgc.Single(await mgc.SendAsync($"Context = {reply.ContextId} {{ AuditValue = {id} {{ Audit {{ Media }} }} }}", ct));
        Assert.Equal(local.Port, TextMgc.LocalOf(Assert.Single(audit.Commands.AsSpan().ToArray())).Port);
        Assert.Equal(1, await MgAudit.ContextCountAsync(rig.Mg, ct));
    });

    /// <summary>TS 23.334 §8 "Configure AGW Connection Point": a Modify brings the UE's media (Remote) to a reserved
    /// termination; the MG then admits the UE's connection from that address and reports it (<c>tcpx/est</c>, its
    /// <c>ra</c> the UE's source).</summary>
    [Fact]
    public Task Configure_AGW_Connection_Point_gives_the_UE_whose_connection_the_MG_then_admits() => TextMgc.RunAsync("iq", async (_, mgc, ct) =>
    {
        var reserved = TextMgc.Single(await mgc.SendAsync(
            $"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {TextMgc.Local("$")} }} }}, Events = 1 {{ tcpx/est }} }} }}", ct));
        var id = reserved.Commands[0].TerminationIds[0];
        var port = TextMgc.LocalOf(reserved.Commands[0]).Port!.Value;

        // The UE's offer says it connects (a=setup:active, port 9 by RFC 4145 §4.1).
        var configure = TextMgc.Single(await mgc.SendAsync(
            $"Context = {reserved.ContextId} {{ Modify = {id} {{ Media {{ Stream = 1 {{ {TextMgc.Remote(new IPEndPoint(IPAddress.Loopback, 9), "active")} }} }} }} }}", ct));
        Assert.Equal(id, Assert.Single(configure.Commands.AsSpan().ToArray()).TerminationIds[0]);

        using var ue = await Peers.ConnectAsync(port, "127.0.0.1", ct);
        var established = await mgc.EventAsync(id, "tcpx/est", ct);
        Assert.Equal($"127.0.0.1:{((IPEndPoint)ue.LocalEndPoint!).Port}", TextMgc.Parameter(established, "ra"));
    });

    /// <summary>TS 23.334 §8.2 "Reserve and Configure AGW Connection Point" (Table 8.2.1), for both legs of an MSRP
    /// session in one transaction: the UE connects to the MG, the MG connects to the core, and bytes cross both ways.</summary>
    [Fact]
    public Task Reserve_and_Configure_AGW_Connection_Point_on_both_legs_connects_the_UE_to_the_core() => ConnectedLegs.RunAsync("iq", async (_, session, ct) =>
    {
        await session.Ue.SendAsync("from the UE"u8.ToArray(), ct);
        Assert.Equal("from the UE", await Peers.ReadAsync(session.CorePeer, 11, ct));
        await session.CorePeer.SendAsync("from the core"u8.ToArray(), ct);
        Assert.Equal("from the core", await Peers.ReadAsync(session.Ue, 13, ct));
    });

    /// <summary>TS 23.334 §8 "Change Through-Connection" (stream mode and topology, H.248.1 §7.1.7 and §7.1.18): an
    /// isolated pair holds the UE's bytes until it is bothway again; a core leg set to ReceiveOnly sends nothing out
    /// until SendReceive; nothing is lost on the way.</summary>
    [Fact]
    public Task Change_AGW_Through_Connection_holds_and_resumes_each_direction_without_loss() => ConnectedLegs.RunAsync("iq", async (_, session, ct) =>
    {
        var (context, access, core) = (session.Context, session.AccessLeg, session.CoreLeg);

        TextMgc.Single(await session.Mgc.SendAsync($"Context = {context} {{ Topology {{ {access}, {core}, isolate }} }}", ct));
        await session.Ue.SendAsync("held"u8.ToArray(), ct);
        Assert.False(await ArrivesAsync(session.CorePeer, ct), "bytes crossed an isolated pair");
        TextMgc.Single(await session.Mgc.SendAsync($"Context = {context} {{ Topology {{ {access}, {core}, bothway }} }}", ct));
        Assert.Equal("held", await Peers.ReadAsync(session.CorePeer, 4, ct));

        TextMgc.Single(await session.Mgc.SendAsync(
            $"Context = {context} {{ Modify = {core} {{ Media {{ Stream = 1 {{ LocalControl {{ Mode = ReceiveOnly }} }} }} }} }}", ct));
        await session.CorePeer.SendAsync("up"u8.ToArray(), ct);
        Assert.Equal("up", await Peers.ReadAsync(session.Ue, 2, ct));
        await session.Ue.SendAsync("down"u8.ToArray(), ct);
        Assert.False(await ArrivesAsync(session.CorePeer, ct), "a ReceiveOnly leg sent bytes out");
        TextMgc.Single(await session.Mgc.SendAsync(
            $"Context = {context} {{ Modify = {core} {{ Media {{ Stream = 1 {{ LocalControl {{ Mode = SendReceive }} }} }} }} }}", ct));
        Assert.Equal("down", await Peers.ReadAsync(session.CorePeer, 4, ct));
    });

    /// <summary>TS 23.334 §8 "Release AGW Termination": a Subtract of each leg returns its statistics (H.248.1 Annex
    /// E.11 <c>nt/or</c> octets received, <c>nt/os</c> octets sent, <c>nt/dur</c> duration) and the context goes with
    /// its last termination.</summary>
    [Fact]
    public Task Release_AGW_Termination_returns_the_octets_each_way_and_the_duration() => ConnectedLegs.RunAsync("iq", async (rig, session, ct) =>
    {
        await session.Ue.SendAsync("twelve bytes"u8.ToArray(), ct);
        Assert.Equal("twelve bytes", await Peers.ReadAsync(session.CorePeer, 12, ct));
        await session.CorePeer.SendAsync("five!"u8.ToArray(), ct);
        Assert.Equal("five!", await Peers.ReadAsync(session.Ue, 5, ct));

        var release = TextMgc.Single(await session.Mgc.SendAsync(
            $"Context = {session.Context} {{ Subtract = {session.AccessLeg}, Subtract = {session.CoreLeg} }}", ct));
        var (access, core) = (release.Commands[0], release.Commands[1]);
        Assert.Equal(session.AccessLeg, access.TerminationIds[0]);
        Assert.Equal((12UL, 5UL), (TextMgc.Statistic(access, "nt/or"), TextMgc.Statistic(access, "nt/os")));
        Assert.Equal((5UL, 12UL), (TextMgc.Statistic(core, "nt/or"), TextMgc.Statistic(core, "nt/os")));
        Assert.InRange(TextMgc.Statistic(access, "nt/dur"), 1UL, (ulong)TimeSpan.FromSeconds(90).TotalMilliseconds);
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
    });

    /// <summary>TS 23.334 §6.2.18 TCP bearer connection control, the failure case: the MG connects to a core that
    /// refuses, and reports <c>tcpx/fail</c> with cause <c>refused</c> (private package 0x8001 until H.248.89 cl.7 is
    /// read); the MGC may then release the termination.</summary>
    [Fact]
    public Task TCP_bearer_establishment_failure_is_notified_with_its_cause() => TextMgc.RunAsync("iq", async (_, mgc, ct) =>
    {
        // A port bound but not listening: the MG's connect to it is refused, and no one else can take it meanwhile.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = ((IPEndPoint)probe.LocalEndPoint!).Port;

        var added = TextMgc.Single(await mgc.SendAsync(
            $"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {TextMgc.Local("active")}, {TextMgc.Remote(new IPEndPoint(IPAddress.Loopback, closed), "passive")} }} }}, Events = 1 {{ tcpx/est, tcpx/fail }} }} }}", ct));
        var id = added.Commands[0].TerminationIds[0];
        Assert.Equal("refused", TextMgc.Parameter(await mgc.EventAsync(id, "tcpx/fail", ct), "cause"));

        var release = TextMgc.Single(await mgc.SendAsync($"Context = {added.ContextId} {{ Subtract = {id} }}", ct));
        Assert.Equal((0UL, 0UL), (TextMgc.Statistic(release.Commands[0], "nt/or"), TextMgc.Statistic(release.Commands[0], "nt/os")));
    });

    /// <summary>Whether anything arrives on <paramref name="socket"/> within <see cref="Quiet"/>.</summary>
    private static async Task<bool> ArrivesAsync(Socket socket, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(Quiet);
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.Peek, wait.Token) > 0;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
