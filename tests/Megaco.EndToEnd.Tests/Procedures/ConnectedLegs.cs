using System.Net;
using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Protocol.Model;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>An MSRP session's two legs reserved and configured in one transaction (the access leg passive for a UE
/// that connects from 127.0.0.1, the core leg active towards the test's core listener), both connected.</summary>
internal sealed class ConnectedLegs(TextMgc mgc, ContextId context, TerminationId accessLeg, TerminationId coreLeg, Socket ue, Socket corePeer) : IAsyncDisposable
{
    public TextMgc Mgc { get; } = mgc;

    public ContextId Context { get; } = context;

    public TerminationId AccessLeg { get; } = accessLeg;

    public TerminationId CoreLeg { get; } = coreLeg;

    /// <summary>The UE's end of the access bearer.</summary>
    public Socket Ue { get; } = ue;

    /// <summary>The core's end of the core bearer.</summary>
    public Socket CorePeer { get; } = corePeer;

    /// <summary>Runs <paramref name="body"/> against a fresh MG process on <paramref name="profile"/> with an MSRP
    /// session's two legs connected first.</summary>
    public static Task RunAsync(string profile, Func<MgRig, ConnectedLegs, CancellationToken, Task> body) =>
        TextMgc.RunAsync(profile, async (rig, mgc, ct) =>
        {
            await using var legs = await SetUpAsync(mgc, ct);
            await body(rig, legs, ct);
        });

    public static async Task<ConnectedLegs> SetUpAsync(TextMgc mgc, CancellationToken ct)
    {
        using var listener = Peers.Listen();
        var core = new IPEndPoint(IPAddress.Loopback, Peers.PortOf(listener));
        var ueOffer = new IPEndPoint(IPAddress.Loopback, 9);
        var reply = TextMgc.Single(await mgc.SendAsync(
            "Context = $ {\n" +
            $" Add = $ {{ Media {{ Stream = 1 {{ {TextMgc.Local("passive")}, {TextMgc.Remote(ueOffer, "active")} }} }}, Events = 1 {{ tcpx/est }} }},\n" +
            $" Add = $ {{ Media {{ Stream = 1 {{ {TextMgc.Local("active")}, {TextMgc.Remote(core, "passive")} }} }}, Events = 2 {{ tcpx/est }} }}\n" +
            "}", ct));
        Assert.Equal(2, reply.Commands.Count);
        var (accessLeg, coreLeg) = (reply.Commands[0].TerminationIds[0], reply.Commands[1].TerminationIds[0]);
        var ue = await Peers.ConnectAsync(TextMgc.LocalOf(reply.Commands[0]).Port!.Value, "127.0.0.1", ct);
        try
        {
            var corePeer = await listener.AcceptAsync(ct);
            await mgc.EventAsync(accessLeg, "tcpx/est", ct);
            await mgc.EventAsync(coreLeg, "tcpx/est", ct);
            return new ConnectedLegs(mgc, reply.ContextId, accessLeg, coreLeg, ue, corePeer);
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
