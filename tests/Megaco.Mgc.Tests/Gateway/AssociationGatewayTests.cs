using Megaco.Mgc.Events;
using Megaco.Mgc.Gateway;
using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Mgc.Tests.Gateway;

/// <summary>
/// The MGC library over the control association on UDP loopback: an in-test MG registers through
/// <see cref="MgAssociation"/>, the MGC's <see cref="MgcRegistry"/> hands out its <see cref="RegisteredMg"/>, and the
/// session runs through <see cref="RegisteredMgChannel"/>; the MG's Notify reaches the session through the registry.
/// </summary>
public sealed class AssociationGatewayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static TransactionOptions Transactions(IMegacoTransport transport) => new()
    {
        MId = MIdAddresses.ToMId(transport.LocalEndpoint),
        RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(100), 2, TimeSpan.Zero, TimeSpan.FromMilliseconds(400), 3),
        Version = 3,
    };

    [Fact]
    public async Task A_session_runs_through_a_registered_mg_and_hears_its_notify_and_restart()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        var pcscf = new PcscfUser();
        await using var registry = new MgcRegistry(mgcTransport, Transactions(mgcTransport), new MgcRegistryOptions { AllowRegistration = true }, pcscf);
        registry.Start();
        var options = new MgAssociationOptions { Mgcs = [mgcTransport.LocalEndpoint] };
        await using var mgTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0"), Peers = MgAssociation.PeerFilterFor(options) });
        var mgUser = new EngineMgUser();
        await using var mg = new MgAssociation(mgTransport, Transactions(mgTransport), options, mgUser);
        mg.Start();
        var controller = await pcscf.Registered.Task.WaitAsync(timeout.Token);

        var session = controller.CreateSession();
        var toCore = await session.OfferFromAccessAsync(Sdps.UeOffer("TCP/MSRP", "192.0.2.10", "a=setup:active"), timeout.Token);
        Assert.True(toCore.Succeeded, toCore.ToString());
        Assert.True((await session.AnswerFromCoreAsync(Sdps.Core(), timeout.Token)).Succeeded);

        var notify = await mg.SendRequestAsync(
        [
            new ActionRequest(session.Context,
                [new CommandRequest(new NotifyRequest([session.CoreTermination!], new ObservedEventsDescriptor(2, [Notifies.Event("tcpx", "fail", ("cause", "refused"))])))]),
        ], timeout.Token);
        Assert.Null(Assert.Single(notify.Reply!.Actions).Error);

        // What the P-CSCF's IMgcUser does on OnMgRestarted (PcscfUser below): the contexts are gone, the session hears it.
        controller.OnGatewayLost();
        var events = new List<MsrpMediaEvent>();
        await foreach (var item in session.ReadEventsAsync(timeout.Token))
        {
            events.Add(item);
        }
        Assert.Equal([MsrpEventKind.ConnectionFailed, MsrpEventKind.GatewayLost], events.Select(e => e.Kind));
        Assert.Equal(MsrpSessionState.Released, session.State);
        Assert.Equal(1, mgUser.Engine.ContextCount);
    }

    [Fact]
    public async Task A_registered_mg_that_is_gone_makes_offers_fail_with_503()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        var pcscf = new PcscfUser();
        await using var registry = new MgcRegistry(mgcTransport, Transactions(mgcTransport), new MgcRegistryOptions { AllowRegistration = true }, pcscf);
        registry.Start();
        var options = new MgAssociationOptions { Mgcs = [mgcTransport.LocalEndpoint] };
        var mgTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0"), Peers = MgAssociation.PeerFilterFor(options) });
        var mg = new MgAssociation(mgTransport, Transactions(mgTransport), options, new EngineMgUser());
        mg.Start();
        var controller = await pcscf.Registered.Task.WaitAsync(timeout.Token);
        await mg.DisposeAsync();
        await mgTransport.DisposeAsync();

        var outcome = await controller.CreateSession().OfferFromAccessAsync(Sdps.UeOffer(), timeout.Token);

        Assert.Equal(MgcFailureKind.GatewayUnavailable, outcome.Failure!.Kind);
        Assert.Equal(503, outcome.Failure.SipStatusCode);
    }

    /// <summary>The P-CSCF's MGC user: one controller per registered MG, Notify and restarts forwarded to it.</summary>
    private sealed class PcscfUser : IMgcUser
    {
        private MsrpSessionController? _controller;

        public TaskCompletionSource<MsrpSessionController> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnMgRegisteredAsync(RegisteredMg mg, CancellationToken cancellationToken)
        {
            _controller ??= new MsrpSessionController(new RegisteredMgChannel(mg));
            Registered.TrySetResult(_controller);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnMgRestartedAsync(RegisteredMg mg, CancellationToken cancellationToken)
        {
            _controller?.OnGatewayLost();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnMgLostAsync(RegisteredMg mg, string reason, CancellationToken cancellationToken)
        {
            _controller?.OnGatewayLost();
            return ValueTask.CompletedTask;
        }

        public ValueTask<TransactionAnswer> HandleRequestAsync(RegisteredMg mg, IncomingRequest request, CancellationToken cancellationToken) =>
            _controller?.HandleRequestAsync(request, cancellationToken)
            ?? ValueTask.FromResult(TransactionAnswer.Failed(Protocol.Errors.H248ErrorCode.ServiceUnavailable));
    }

    /// <summary>The in-test MG behind the association: every MGC request runs on the fake engine.</summary>
    private sealed class EngineMgUser : IMgUser
    {
        public FakeMgEngine Engine { get; } = new();

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TransactionAnswer.Replies([.. request.Request.Actions.AsSpan().ToArray().Select(Engine.Execute)]));

        public ValueTask OnAssociationChangedAsync(MgAssociationChange change, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
