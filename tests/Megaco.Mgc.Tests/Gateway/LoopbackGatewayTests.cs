using Megaco.Mgc.Events;
using Megaco.Mgc.Gateway;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Mgc.Tests.Gateway;

/// <summary>
/// The MGC library over a real <see cref="TransactionManager"/> pair on UDP loopback: the far side is a small
/// in-test MG (a TransactionManager whose user runs <see cref="FakeMgEngine"/>), and its Notify comes back over
/// the wire to the controller.
/// </summary>
public sealed class LoopbackGatewayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("udp", 1)]
    [InlineData("udp", 3)]
    [InlineData("tcp", 2)]
    public async Task A_session_runs_over_the_wire_against_an_in_test_mg(string transport, int version)
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var mgcTransport = Bind(transport, null);
        await using var mgTransport = Bind(transport, mgcTransport.LocalEndpoint);
        var mgcUser = new ForwardingUser();
        var mg = new InTestMg();
        await using var mgcManager = Start(mgcTransport, mgcUser, version);
        await using var mgManager = Start(mgTransport, mg, version);
        var channel = new TransactionManagerChannel(mgcManager, mgTransport.LocalEndpoint, version);
        var controller = new MsrpSessionController(channel);
        mgcUser.Controller = controller;
        var session = controller.CreateSession(new MsrpPolicy { TerminateTls = true });

        var coreOffer = await session.OfferFromAccessAsync(
            Sdps.UeOffer("TCP/TLS/MSRP", "192.0.2.10", "a=setup:actpass", "a=fingerprint:" + Sdps.UeFingerprint), timeout.Token);
        Assert.True(coreOffer.Succeeded, coreOffer.ToString());
        Assert.Contains("a=path:msrp://127.0.0.1:40001/mg40001;tcp", Sdps.Lines(coreOffer.Sdp));
        var ueAnswer = await session.AnswerFromCoreAsync(Sdps.Core(), timeout.Token);
        Assert.True(ueAnswer.Succeeded, ueAnswer.ToString());
        Assert.Contains("a=fingerprint:" + FakeMgEngine.Fingerprint, Sdps.Lines(ueAnswer.Sdp));
        Assert.Equal(new ContextId(1), session.Context);
        Assert.Equal(2, mg.Requests);

        // The MG reports the UE's connection: Notify over the wire, answered by the controller.
        var notify = await mgManager.SendRequestAsync(mgcTransport.LocalEndpoint, version,
        [
            new ActionRequest(session.Context,
                [new CommandRequest(new NotifyRequest([session.AccessTermination!], new ObservedEventsDescriptor(1, [Notifies.Event("tcpx", "est", ("ra", "192.0.2.10:50000"))])))]),
        ], timeout.Token);
        Assert.True(notify.HasReply, notify.Failure.ToString());
        Assert.Null(Assert.Single(notify.Reply!.Actions).Error);

        var released = await session.ReleaseAsync(timeout.Token);
        Assert.True(released.Succeeded, released.Failure?.ToString());
        Assert.Equal([1000UL, 2000UL], released.Statistics.Select(s => s.OctetsSent!.Value));
        Assert.Equal(0, mg.Engine.ContextCount);

        var events = new List<MsrpMediaEvent>();
        await foreach (var item in session.ReadEventsAsync(timeout.Token))
        {
            events.Add(item);
        }
        var established = Assert.Single(events);
        Assert.Equal((MsrpLeg.Access, MsrpEventKind.ConnectionEstablished, "192.0.2.10:50000"), (established.Leg, established.Kind, established.Detail));
    }

    [Fact]
    public async Task An_unreachable_mg_is_a_503_not_an_exception()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        await using var silent = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        await using var mgcManager = Start(mgcTransport, new ForwardingUser(), 3);
        var controller = new MsrpSessionController(new TransactionManagerChannel(mgcManager, silent.LocalEndpoint, 3));

        var outcome = await controller.CreateSession().OfferFromAccessAsync(Sdps.UeOffer(), timeout.Token);

        Assert.Equal(503, outcome.Failure!.SipStatusCode);
        Assert.Contains("Timeout", outcome.Failure.Detail);
    }

    private static IMegacoTransport Bind(string transport, MegacoEndpoint? onlyPeer)
    {
        var options = new MegacoTransportOptions
        {
            Listen = MegacoEndpoint.Parse(transport + "://127.0.0.1:0"),
            Peers = onlyPeer is null ? PeerFilter.AllowAny : PeerFilter.Only([onlyPeer]),
        };
        return transport == "tcp" ? TcpTransport.Listen(options) : UdpTransport.Bind(options);
    }

    private static TransactionManager Start(IMegacoTransport transport, IMegacoUser user, int version)
    {
        var local = transport.LocalEndpoint.EndPoint;
        var manager = new TransactionManager(transport, user, new TransactionOptions
        {
            MId = MId.IPv4(local.Address.ToString(), (ushort)local.Port),
            Version = version,
            RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(100), 2, TimeSpan.Zero, TimeSpan.FromMilliseconds(400), 3),
            Workers = 1,
        });
        manager.Start();
        return manager;
    }

    /// <summary>The MGC side's user: hands the MG's requests to the controller, as a P-CSCF's IMgcUser would.</summary>
    private sealed class ForwardingUser : IMegacoUser
    {
        public MsrpSessionController? Controller { get; set; }

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) =>
            Controller?.HandleRequestAsync(request, cancellationToken)
            ?? ValueTask.FromResult(TransactionAnswer.Failed(Protocol.Errors.H248ErrorCode.ServiceUnavailable));
    }

    /// <summary>The in-test MG: every request from the MGC runs on the fake engine.</summary>
    private sealed class InTestMg : IMegacoUser
    {
        private int _requests;

        public FakeMgEngine Engine { get; } = new();

        public int Requests => Volatile.Read(ref _requests);

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return ValueTask.FromResult(TransactionAnswer.Replies([.. request.Request.Actions.AsSpan().ToArray().Select(Engine.Execute)]));
        }
    }
}
