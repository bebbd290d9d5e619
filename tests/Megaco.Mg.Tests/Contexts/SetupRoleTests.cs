using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using static Megaco.Mg.Tests.Contexts.Wire;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>Both legs of a context in every combination of the MG's TCP setup role (RFC 4145 §4.1), through H.248 on the wire.</summary>
public sealed class SetupRoleTests
{
    /// <summary>One leg seen from the test: the peer either connects to the MG or listens for it.</summary>
    private sealed class Leg : IAsyncDisposable
    {
        private TcpListener? _listener;

        public Socket? Socket { get; private set; }

        public required bool MgActive { get; init; }

        public string Protocol { get; init; } = MsrpMedia.TcpProtocol;

        /// <summary>The Remote the MGC passes: the peer's offer (active from port 9, or passive on a listening port).</summary>
        public LocalRemoteDescriptor Remote(string peerSetup)
        {
            if (!MgActive)
            {
                return Wire.Remote(new IPEndPoint(Ue1, 9), peerSetup, Protocol);
            }
            _listener = new TcpListener(Ue1, 0);
            _listener.Start();
            return Wire.Remote((IPEndPoint)_listener.LocalEndpoint, peerSetup, Protocol);
        }

        public async Task Connect(IPEndPoint mg)
        {
            if (MgActive)
            {
                using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
                Socket = await _listener!.AcceptSocketAsync(cts.Token);
            }
            else
            {
                Socket = await ConnectFrom(Ue1, mg);
            }
        }

        public ValueTask DisposeAsync()
        {
            Socket?.Dispose();
            _listener?.Stop();
            return ValueTask.CompletedTask;
        }
    }

    [Theory]
    [InlineData(false, false, "active", "active")]
    [InlineData(false, true, "active", "passive")]
    [InlineData(true, false, "passive", "active")]
    [InlineData(true, true, "passive", "passive")]
    [InlineData(true, true, "actpass", "actpass")]
    public async Task EveryCombinationOfRolesRelaysBothWays(bool mgActiveOnA, bool mgActiveOnB, string peerSetupA, string peerSetupB)
    {
        await using var wire = Start();
        await using var a = new Leg { MgActive = mgActiveOnA };
        await using var b = new Leg { MgActive = mgActiveOnB, Protocol = MsrpMedia.TlsProtocol };

        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("$"), a.Remote(peerSetupA))),
            Add(Media(Local("$", MsrpMedia.TlsProtocol), b.Remote(peerSetupB))))));

        Assert.False(reply.ContextId.IsChoose);
        var localA = LocalOf(reply.Commands[0]);
        var localB = LocalOf(reply.Commands[1]);
        Assert.Equal(mgActiveOnA ? SetupRole.Active : SetupRole.Passive, localA.Setup);
        Assert.Equal(mgActiveOnB ? SetupRole.Active : SetupRole.Passive, localB.Setup);
        Assert.True(localB.IsTls);
        if (mgActiveOnA)
        {
            Assert.Equal(9, localA.Port);
        }
        await a.Connect(EndPointOf(reply.Commands[0]));
        await b.Connect(EndPointOf(reply.Commands[1]));

        await a.Socket!.SendAsync("from a"u8.ToArray(), SocketFlags.None);
        Assert.Equal("from a"u8.ToArray(), await Within(ReceiveExactly(b.Socket!, 6)));
        await b.Socket!.SendAsync("from b"u8.ToArray(), SocketFlags.None);
        Assert.Equal("from b"u8.ToArray(), await Within(ReceiveExactly(a.Socket!, 6)));

        var subtract = Single(await wire.Send(Action(reply.ContextId, Subtract(TerminationId.All))));
        Assert.Equal(2, subtract.Commands.Count);
        Assert.Equal(6, Statistic(subtract.Commands[0], "nt/os"));
        Assert.Equal(6, Statistic(subtract.Commands[0], "nt/or"));
        Assert.Equal(0, wire.Engine.Ports.InUse);
        Assert.Equal(0, wire.Engine.ContextCount);
    }
}
