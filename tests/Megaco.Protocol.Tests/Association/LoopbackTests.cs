using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Transactions;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Association;

/// <summary>Our MG and MGC over real loopback sockets: strangers, TCP connection loss, registration at 30% loss.</summary>
public sealed class LoopbackTests
{
    /// <summary>Loopback loses nothing, so retransmissions only cover a loaded machine: generous waits cost no time.</summary>
    private static readonly RetransmitSchedule LoopbackTimer = new(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero, TimeSpan.FromSeconds(4), 3);

    private static TransactionOptions Transactions(IMegacoTransport transport) => new()
    {
        MId = MIdAddresses.ToMId(transport.LocalEndpoint),
        RequestTimer = LoopbackTimer,
        Version = 3,
    };

    [Fact]
    public async Task MessagesFromStrangersNeverReachTheMgUser()
    {
        await using var mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        var mgcUser = new RecordingMgcUser();
        await using var registry = new MgcRegistry(mgcTransport, Transactions(mgcTransport), new MgcRegistryOptions { AllowRegistration = true }, mgcUser);
        registry.Start();
        var options = new MgAssociationOptions { Mgcs = [mgcTransport.LocalEndpoint] };
        await using var mgTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0"), Peers = MgAssociation.PeerFilterFor(options) });
        var mgUser = new RecordingMgUser();
        await using var mg = new MgAssociation(mgTransport, Transactions(mgTransport), options, mgUser);
        mg.Start();
        await Eventually.True(() => mg.State == MgAssociationState.Registered, "registration", 15_000);

        // A stranger sends a HandOff and an Add, as an MGC would.
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stranger.ReceiveTimeout = 300;
        var strangerMId = MId.IPv4("127.0.0.1", (ushort)((IPEndPoint)stranger.LocalEndPoint!).Port);
        var handOff = new MegacoMessage(3, strangerMId, [new TransactionRequest(77, RootCommands.ServiceChange(
            new ServiceChangeParm(ServiceChangeMethod.HandOff, "903", MgcIdToTry: strangerMId)))]);
        var add = new MegacoMessage(3, strangerMId, [new TransactionRequest(78, RegistrationTests.AddChoose())]);
        foreach (var message in new[] { handOff, add })
        {
            await stranger.SendToAsync(MegacoTextWriter.ToBytes(message, TextStyle.Compact), mgTransport.LocalEndpoint.EndPoint);
        }

        // Nothing comes back, the user saw nothing, the MG stays with its MGC.
        var buffer = new byte[2048];
        Assert.Throws<SocketException>(() => stranger.Receive(buffer));
        Assert.Empty(mgUser.Requests);
        Assert.Equal(MgAssociationState.Registered, mg.State);
        Assert.Equal(mgcTransport.LocalEndpoint, mg.Mgc);
        Assert.Single(mgUser.Changes);
        // The real MGC is still served.
        var reply = await Assert.Single(registry.Mgs).SendRequestAsync(RegistrationTests.AddChoose(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(reply.Reply!.Actions[0].Error);
    }

    [Fact]
    public async Task OverTcpALostConnectionMakesTheMgRegisterWithDisconnectedAtTheNextMgc()
    {
        var first = TcpTransport.Listen(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("tcp://127.0.0.1:0") });
        var firstUser = new RecordingMgcUser();
        var firstRegistry = new MgcRegistry(first, Transactions(first), new MgcRegistryOptions { AllowRegistration = true }, firstUser);
        firstRegistry.Start();
        await using var second = TcpTransport.Listen(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("tcp://127.0.0.1:0") });
        var secondUser = new RecordingMgcUser();
        await using var secondRegistry = new MgcRegistry(second, Transactions(second), new MgcRegistryOptions { AllowRegistration = true }, secondUser);
        secondRegistry.Start();
        var options = new MgAssociationOptions { Mgcs = [first.LocalEndpoint, second.LocalEndpoint], RetryInitialDelay = TimeSpan.FromMilliseconds(200) };
        await using var mgTransport = TcpTransport.Listen(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("tcp://127.0.0.1:0"), Peers = MgAssociation.PeerFilterFor(options) });
        var mgUser = new RecordingMgUser();
        await using var mg = new MgAssociation(mgTransport, Transactions(mgTransport), options, mgUser);
        mg.Start();
        await Eventually.True(() => mg.State == MgAssociationState.Registered && !firstUser.Registered.IsEmpty, "registration with the first MGC", 15_000);

        // The first MGC goes away with its connection.
        await firstRegistry.DisposeAsync();
        await first.DisposeAsync();
        await Eventually.True(() => !secondUser.Registered.IsEmpty, "registration with the second MGC", 15_000);

        Assert.Equal(ServiceChangeMethod.Disconnected, secondRegistry.Mgs[0].Method);
        Assert.Equal(second.LocalEndpoint, mg.Mgc);
        Assert.Contains("connection lost", mgUser.ChangesOf(MgAssociationState.Lost)[0].Detail, StringComparison.Ordinal);
        var notify = await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(notify.HasReply);
    }
}
