using System.Net;
using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>
/// The call-related procedures of the Iq profile that the MG implements, each as the IMS-ALG sends it in H.248 text
/// (<see cref="IqAlg"/>) to the MG process, for an MSRP stream over TCP. The procedure names are those of TS 23.334
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
    public Task Reserve_AGW_Connection_Point_answers_the_address_and_port_the_MG_reserved() => WithMgAsync(async (rig, alg, ct) =>
    {

        var reply = IqAlg.Single(await alg.SendAsync($"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {IqAlg.Local("$")} }} }} }} }}", ct));
        Assert.False(reply.ContextId.IsChoose);
        var add = Assert.Single(reply.Commands.AsSpan().ToArray());
        var id = Assert.Single(add.TerminationIds.AsSpan().ToArray());
        Assert.StartsWith("msrp/", id.Text, StringComparison.Ordinal);
        var local = IqAlg.LocalOf(add);
        Assert.Equal(IPAddress.Loopback, local.Address);
        Assert.InRange(local.Port!.Value, rig.FirstPort, rig.LastPort);
        // Without a Remote yet the MG waits for the peer (RFC 4145 §4.1 passive).
        Assert.Equal(SetupRole.Passive, local.Setup);

        // The reservation reads back from an audit of the termination.
        var audit = IqAlg.Single(await alg.SendAsync($"Context = {reply.ContextId} {{ AuditValue = {id} {{ Audit {{ Media }} }} }}", ct));
        Assert.Equal(local.Port, IqAlg.LocalOf(Assert.Single(audit.Commands.AsSpan().ToArray())).Port);
        Assert.Equal(1, await MgAudit.ContextCountAsync(rig.Mg, ct));
    });

    /// <summary>TS 23.334 §8 "Configure AGW Connection Point": a Modify brings the UE's media (Remote) to a reserved
    /// termination; the MG then admits the UE's connection from that address and reports it (<c>tcpx/est</c>, its
    /// <c>ra</c> the UE's source).</summary>
    [Fact]
    public Task Configure_AGW_Connection_Point_gives_the_UE_whose_connection_the_MG_then_admits() => WithMgAsync(async (_, alg, ct) =>
    {
        var reserved = IqAlg.Single(await alg.SendAsync(
            $"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {IqAlg.Local("$")} }} }}, Events = 1 {{ tcpx/est }} }} }}", ct));
        var id = reserved.Commands[0].TerminationIds[0];
        var port = IqAlg.LocalOf(reserved.Commands[0]).Port!.Value;

        // The UE's offer says it connects (a=setup:active, port 9 by RFC 4145 §4.1).
        var configure = IqAlg.Single(await alg.SendAsync(
            $"Context = {reserved.ContextId} {{ Modify = {id} {{ Media {{ Stream = 1 {{ {IqAlg.Remote(new IPEndPoint(IPAddress.Loopback, 9), "active")} }} }} }} }}", ct));
        Assert.Equal(id, Assert.Single(configure.Commands.AsSpan().ToArray()).TerminationIds[0]);

        using var ue = await Peers.ConnectAsync(port, "127.0.0.1", ct);
        var established = await alg.EventAsync(id, "tcpx/est", ct);
        Assert.Equal($"127.0.0.1:{((IPEndPoint)ue.LocalEndPoint!).Port}", IqAlg.Parameter(established, "ra"));
    });

    /// <summary>TS 23.334 §8.2 "Reserve and Configure AGW Connection Point" (Table 8.2.1), for both legs of an MSRP
    /// session in one transaction: the UE connects to the MG, the MG connects to the core, and bytes cross both ways.</summary>
    [Fact]
    public Task Reserve_and_Configure_AGW_Connection_Point_on_both_legs_connects_the_UE_to_the_core() => WithSessionAsync(async (_, session, ct) =>
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
    public Task Change_AGW_Through_Connection_holds_and_resumes_each_direction_without_loss() => WithSessionAsync(async (_, session, ct) =>
    {
        var (context, access, core) = (session.Context, session.AccessLeg, session.CoreLeg);

        IqAlg.Single(await session.Alg.SendAsync($"Context = {context} {{ Topology {{ {access}, {core}, isolate }} }}", ct));
        await session.Ue.SendAsync("held"u8.ToArray(), ct);
        Assert.False(await ArrivesAsync(session.CorePeer, ct), "bytes crossed an isolated pair");
        IqAlg.Single(await session.Alg.SendAsync($"Context = {context} {{ Topology {{ {access}, {core}, bothway }} }}", ct));
        Assert.Equal("held", await Peers.ReadAsync(session.CorePeer, 4, ct));

        IqAlg.Single(await session.Alg.SendAsync(
            $"Context = {context} {{ Modify = {core} {{ Media {{ Stream = 1 {{ LocalControl {{ Mode = ReceiveOnly }} }} }} }} }}", ct));
        await session.CorePeer.SendAsync("up"u8.ToArray(), ct);
        Assert.Equal("up", await Peers.ReadAsync(session.Ue, 2, ct));
        await session.Ue.SendAsync("down"u8.ToArray(), ct);
        Assert.False(await ArrivesAsync(session.CorePeer, ct), "a ReceiveOnly leg sent bytes out");
        IqAlg.Single(await session.Alg.SendAsync(
            $"Context = {context} {{ Modify = {core} {{ Media {{ Stream = 1 {{ LocalControl {{ Mode = SendReceive }} }} }} }} }}", ct));
        Assert.Equal("down", await Peers.ReadAsync(session.CorePeer, 4, ct));
    });

    /// <summary>TS 23.334 §8 "Release AGW Termination": a Subtract of each leg returns its statistics (H.248.1 Annex
    /// E.11 <c>nt/or</c> octets received, <c>nt/os</c> octets sent, <c>nt/dur</c> duration) and the context goes with
    /// its last termination.</summary>
    [Fact]
    public Task Release_AGW_Termination_returns_the_octets_each_way_and_the_duration() => WithSessionAsync(async (rig, session, ct) =>
    {
        await session.Ue.SendAsync("twelve bytes"u8.ToArray(), ct);
        Assert.Equal("twelve bytes", await Peers.ReadAsync(session.CorePeer, 12, ct));
        await session.CorePeer.SendAsync("five!"u8.ToArray(), ct);
        Assert.Equal("five!", await Peers.ReadAsync(session.Ue, 5, ct));

        var release = IqAlg.Single(await session.Alg.SendAsync(
            $"Context = {session.Context} {{ Subtract = {session.AccessLeg}, Subtract = {session.CoreLeg} }}", ct));
        var (access, core) = (release.Commands[0], release.Commands[1]);
        Assert.Equal(session.AccessLeg, access.TerminationIds[0]);
        Assert.Equal((12UL, 5UL), (IqAlg.Statistic(access, "nt/or"), IqAlg.Statistic(access, "nt/os")));
        Assert.Equal((5UL, 12UL), (IqAlg.Statistic(core, "nt/or"), IqAlg.Statistic(core, "nt/os")));
        Assert.InRange(IqAlg.Statistic(access, "nt/dur"), 1UL, (ulong)TimeSpan.FromSeconds(90).TotalMilliseconds);
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
    });

    /// <summary>TS 23.334 §6.2.18 TCP bearer connection control, the failure case: the MG connects to a core that
    /// refuses, and reports <c>tcpx/fail</c> with cause <c>refused</c> (private package 0x8001 until H.248.89 cl.7 is
    /// read); the MGC may then release the termination.</summary>
    [Fact]
    public Task TCP_bearer_establishment_failure_is_notified_with_its_cause() => WithMgAsync(async (_, alg, ct) =>
    {
        // A port bound but not listening: the MG's connect to it is refused, and no one else can take it meanwhile.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = ((IPEndPoint)probe.LocalEndPoint!).Port;

        var added = IqAlg.Single(await alg.SendAsync(
            $"Context = $ {{ Add = $ {{ Media {{ Stream = 1 {{ {IqAlg.Local("active")}, {IqAlg.Remote(new IPEndPoint(IPAddress.Loopback, closed), "passive")} }} }}, Events = 1 {{ tcpx/est, tcpx/fail }} }} }}", ct));
        var id = added.Commands[0].TerminationIds[0];
        Assert.Equal("refused", IqAlg.Parameter(await alg.EventAsync(id, "tcpx/fail", ct), "cause"));

        var release = IqAlg.Single(await alg.SendAsync($"Context = {added.ContextId} {{ Subtract = {id} }}", ct));
        Assert.Equal((0UL, 0UL), (IqAlg.Statistic(release.Commands[0], "nt/or"), IqAlg.Statistic(release.Commands[0], "nt/os")));
    });

    /// <summary>Runs <paramref name="body"/> against a fresh MG process on the iq profile, bounded in time.</summary>
    private static async Task WithMgAsync(Func<MgRig, IqAlg, CancellationToken, Task> body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await MgRig.StartAsync();
        await body(rig, new IqAlg(rig), timeout.Token);
    }

    /// <summary>As <see cref="WithMgAsync"/>, with an MSRP session's two legs connected first.</summary>
    private static Task WithSessionAsync(Func<MgRig, Connected, CancellationToken, Task> body) =>
        WithMgAsync(async (rig, alg, ct) =>
        {
            await using var session = await Connected.SetUpAsync(alg, ct);
            await body(rig, session, ct);
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

    /// <summary>An MSRP session's two legs reserved and configured in one transaction (the access leg passive for a UE
    /// that connects from 127.0.0.1, the core leg active towards the test's core listener), both connected.</summary>
    private sealed class Connected(IqAlg alg, ContextId context, TerminationId accessLeg, TerminationId coreLeg, Socket ue, Socket corePeer) : IAsyncDisposable
    {
        public IqAlg Alg { get; } = alg;

        public ContextId Context { get; } = context;

        public TerminationId AccessLeg { get; } = accessLeg;

        public TerminationId CoreLeg { get; } = coreLeg;

        /// <summary>The UE's end of the access bearer.</summary>
        public Socket Ue { get; } = ue;

        /// <summary>The core's end of the core bearer.</summary>
        public Socket CorePeer { get; } = corePeer;

        public static async Task<Connected> SetUpAsync(IqAlg alg, CancellationToken ct)
        {
            using var listener = Peers.Listen();
            var core = new IPEndPoint(IPAddress.Loopback, Peers.PortOf(listener));
            var ueOffer = new IPEndPoint(IPAddress.Loopback, 9);
            var reply = IqAlg.Single(await alg.SendAsync(
                "Context = $ {\n" +
                $" Add = $ {{ Media {{ Stream = 1 {{ {IqAlg.Local("passive")}, {IqAlg.Remote(ueOffer, "active")} }} }}, Events = 1 {{ tcpx/est }} }},\n" +
                $" Add = $ {{ Media {{ Stream = 1 {{ {IqAlg.Local("active")}, {IqAlg.Remote(core, "passive")} }} }}, Events = 2 {{ tcpx/est }} }}\n" +
                "}", ct));
            Assert.Equal(2, reply.Commands.Count);
            var (accessLeg, coreLeg) = (reply.Commands[0].TerminationIds[0], reply.Commands[1].TerminationIds[0]);
            var ue = await Peers.ConnectAsync(IqAlg.LocalOf(reply.Commands[0]).Port!.Value, "127.0.0.1", ct);
            try
            {
                var corePeer = await listener.AcceptAsync(ct);
                await alg.EventAsync(accessLeg, "tcpx/est", ct);
                await alg.EventAsync(coreLeg, "tcpx/est", ct);
                return new Connected(alg, reply.ContextId, accessLeg, coreLeg, ue, corePeer);
            }
            catch
            {
                ue.Dispose();
                throw;
            }
        }

        public ValueTask DisposeAsync()
        {
            Ue.Dispose();
            CorePeer.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
