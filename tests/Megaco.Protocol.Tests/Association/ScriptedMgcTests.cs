using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using static Megaco.Protocol.Tests.Association.AssociationNetwork;

namespace Megaco.Protocol.Tests.Association;

/// <summary>The MG against an MGC whose answers a test writes: replies no <see cref="MgcRegistry"/> gives.</summary>
public sealed class ScriptedMgcTests
{
    private const int MgPort = 8944;
    private const int MgcPort = 8945;
    private const int MgcControlPort = 8947;

    [Fact]
    public async Task ServiceChangeAddressInTheReplyIsWhereRequestsGoFromThenOn()
    {
        await using var network = new AssociationNetwork();
        var mgc = new ScriptedMgc(network, MgcPort, _ => RootCommands.ServiceChangeAccepted(
            new ServiceChangeResParm(Address: new ServiceChangeAddress(Port: MgcControlPort), Version: 2)));
        var control = new ScriptedMgc(network, MgcControlPort, _ => RootCommands.RootNotified());
        await using var _1 = mgc;
        await using var _2 = control;
        var (mg, _, _) = network.Mg(MgPort, new MgAssociationOptions { Mgcs = [Udp(MgcPort)] });
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.Equal(Udp(MgcControlPort), mg.Mgc);
        Assert.Equal(2, mg.Version);
        var notify = await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(notify.HasReply);
        var received = Assert.Single(control.Requests);
        Assert.Equal(2, received.Version);
        Assert.Single(mgc.Requests);
    }

    [Fact]
    public async Task AVersionAboveTheOfferIsNotTaken()
    {
        await using var network = new AssociationNetwork();
        await using var mgc = new ScriptedMgc(network, MgcPort, _ => RootCommands.ServiceChangeAccepted(new ServiceChangeResParm(Version: 3)));
        var (mg, _, _) = network.Mg(MgPort, new MgAssociationOptions { Mgcs = [Udp(MgcPort)], Version = 2 });
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.Equal(2, mg.Version);
    }

    [Fact]
    public async Task AnMgcThatRestartsWithAnotherAddressIsFollowed()
    {
        await using var network = new AssociationNetwork();
        await using var mgc = new ScriptedMgc(network, MgcPort, _ => RootCommands.ServiceChangeAccepted());
        await using var control = new ScriptedMgc(network, MgcControlPort, _ => RootCommands.RootNotified());
        var (mg, mgUser, _) = network.Mg(MgPort, new MgAssociationOptions { Mgcs = [Udp(MgcPort)] });
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        // H.248.1 §11.4: the restarted MGC tells the MG where to send from now on; the MG stays registered.
        var restart = await mgc.Manager.SendRequestAsync(Udp(MgPort), 3, RootCommands.ServiceChange(new ServiceChangeParm(ServiceChangeMethod.Restart, "901",
            Address: new ServiceChangeAddress(Port: MgcControlPort))), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(RootCommands.ReadServiceChangeReply(restart.Reply!).Error);

        Assert.Equal(Udp(MgcControlPort), mg.Mgc);
        Assert.True((await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).HasReply);
        Assert.Single(control.Requests);
        Assert.Single(mgUser.Changes);
    }

    [Fact]
    public async Task AHandOffThatOvertakesTheRegistrationReplyIsObeyed()
    {
        await using var network = new AssociationNetwork();
        ScriptedMgc? first = null;
        TransactionResult? handOff = null;
        first = new ScriptedMgc(network, MgcPort, async request =>
        {
            if (first!.Requests.Count == 1)
            {
                // The MGC hands the MG on before it has even replied to the registration.
                handOff = await first.Manager.SendRequestAsync(Udp(MgPort), 3, RootCommands.ServiceChange(
                    new ServiceChangeParm(ServiceChangeMethod.HandOff, "903", MgcIdToTry: MIdOf(MgcControlPort))), CancellationToken.None);
            }
            return RootCommands.ServiceChangeAccepted();
        });
        await using var _1 = first;
        await using var second = new ScriptedMgc(network, MgcControlPort, _ => RootCommands.ServiceChangeAccepted());
        var (mg, mgUser, _) = network.Mg(MgPort, new MgAssociationOptions { Mgcs = [Udp(MgcPort)] });

        await network.Until(() => !second.Requests.IsEmpty && mg.State == MgAssociationState.Registered, "registration with the MGC handed to");

        Assert.Null(RootCommands.ReadServiceChangeReply(handOff!.Reply!).Error);
        var parm = RootCommands.RootServiceChange(Assert.Single(second.Requests).Request)!;
        Assert.Equal((ServiceChangeMethod.HandOff, "903"), (parm.Method, parm.Reason));
        Assert.Equal(Udp(MgcControlPort), mg.Mgc);
        Assert.Equal([ServiceChangeMethod.Restart, ServiceChangeMethod.HandOff], mgUser.ChangesOf(MgAssociationState.Registered).Select(c => c.Method!.Value));
    }

    [Fact]
    public async Task RootOrdersTheMgCannotFollowAreRefusedOrLeftToTheUser()
    {
        await using var network = new AssociationNetwork();
        await using var mgc = new ScriptedMgc(network, MgcPort, _ => RootCommands.ServiceChangeAccepted());
        var (mg, mgUser, _) = network.Mg(MgPort, new MgAssociationOptions
        {
            Mgcs = [Udp(MgcPort)],
            Resolver = (_, _) => Task.FromException<System.Net.IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)),
        });
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        // A HandOff to a domain name that does not resolve: 410, and the MG stays.
        var handOff = await mgc.Manager.SendRequestAsync(Udp(MgPort), 3, RootCommands.ServiceChange(
            new ServiceChangeParm(ServiceChangeMethod.HandOff, "903", MgcIdToTry: MId.Domain("mgc.example.net"))), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(410, RootCommands.ReadServiceChangeReply(handOff.Reply!).Error!.Code);
        // it/ito with mit = 0, or beside another event, is not the association's: the user answers it.
        var zero = RootCommands.RequestInactivityTimer(1, TimeSpan.FromSeconds(1));
        var events = (EventsDescriptor)((AmmRequest)zero[0].Commands[0].Command).Descriptors[0];
        var mitZero = events with { Events = [events.Events[0] with { Parameters = [PropertyParm.Of("", "mit", "0")] }] };
        var twoEvents = events with { Events = [events.Events[0], new RequestedEvent(new PkgdName("g", "cause"))] };
        foreach (var descriptor in new[] { mitZero, twoEvents })
        {
            var request = new ActionRequest(ContextId.Null, [new CommandRequest(new AmmRequest(AmmKind.Modify, [TerminationId.Root], [descriptor]))]);
            var result = await mgc.Manager.SendRequestAsync(Udp(MgPort), 3, [request], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(result.HasReply);
        }

        Assert.Equal(2, mgUser.Requests.Count);
        // The largest mit the wire can carry (about 497 days) is taken, cut to MaxMaxInactivity, not refused with 500.
        var huge = events with { Events = [events.Events[0] with { Parameters = [PropertyParm.Of("", "mit", uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))] }] };
        var hugeResult = await mgc.Manager.SendRequestAsync(Udp(MgPort), 3,
            [new ActionRequest(ContextId.Null, [new CommandRequest(new AmmRequest(AmmKind.Modify, [TerminationId.Root], [huge]))])], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<AmmsReply>(Assert.Single(hugeResult.Reply!.Actions[0].Commands));
        Assert.Null(hugeResult.Reply.Actions[0].Error);
        Assert.Equal(2, mgUser.Requests.Count);
        Assert.Equal(MgAssociationState.Registered, mg.State);
        Assert.Equal(Udp(MgcPort), mg.Mgc);
    }

    [Fact]
    public async Task GarbageFromTheMgcIsAnsweredAndReportedAndTheAssociationStands()
    {
        await using var network = new AssociationNetwork();
        await using var mgc = new ScriptedMgc(network, MgcPort, _ => RootCommands.ServiceChangeAccepted());
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, new MgAssociationOptions { Mgcs = [Udp(MgcPort)] });
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        mgTransport.Deliver(Udp(MgcPort), "MEGACO/3 [127.0.0.1]:8945 Transaction = 9 { Bogus }");
        await Transactions.Eventually.True(() => !mgUser.Events.IsEmpty, "the syntax error reported");

        Assert.Equal(MegacoEventKind.SyntaxError, Assert.Single(mgUser.Events).Kind);
        Assert.Contains(mgTransport.SentMessages, m => m.Transactions.OfType<TransactionReply>().Any(r => r.Error is not null));
        Assert.Equal(MgAssociationState.Registered, mg.State);
        Assert.True((await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).HasReply);
    }

    /// <summary>A <see cref="TransactionManager"/> whose every request is answered by <c>answer</c>.</summary>
    private sealed class ScriptedMgc : IMegacoUser, IAsyncDisposable
    {
        private readonly Func<IncomingRequest, ValueTask<TransactionAnswer>> _answer;

        public ScriptedMgc(AssociationNetwork network, int port, Func<IncomingRequest, TransactionAnswer> answer)
            : this(network, port, request => ValueTask.FromResult(answer(request)))
        {
        }

        public ScriptedMgc(AssociationNetwork network, int port, Func<IncomingRequest, ValueTask<TransactionAnswer>> answer)
        {
            _answer = answer;
            Manager = new TransactionManager(network.Attach(port), this, AssociationNetwork.Transactions(port), network.Time);
            network.Track(Manager);
            Manager.Start();
        }

        public TransactionManager Manager { get; }

        public System.Collections.Concurrent.ConcurrentQueue<IncomingRequest> Requests { get; } = new();

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return _answer(request);
        }

        public ValueTask DisposeAsync() => Manager.DisposeAsync();
    }
}
