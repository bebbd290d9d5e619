using Megaco.Protocol.Association;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using static Megaco.Protocol.Tests.Association.AssociationNetwork;

namespace Megaco.Protocol.Tests.Association;

/// <summary>Registration of an <see cref="MgAssociation"/> with an <see cref="MgcRegistry"/> (H.248.1 §11.2, §11.3; H.248.18).</summary>
public sealed class RegistrationTests
{
    private const int MgPort = 4944;
    private const int MgcPort = 4945;
    private const int OtherMgcPort = 4946;

    private static MgAssociationOptions MgOptions(int version, params int[] mgcPorts) => new()
    {
        Mgcs = [.. mgcPorts.Select(Udp)],
        Version = version,
        RetryInitialDelay = TimeSpan.FromSeconds(2),
        RetryMaxDelay = TimeSpan.FromSeconds(8),
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    public async Task BothSidesUseTheLowerVersionFromTheReplyOn(int mgVersion, int mgcVersion)
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, Version = mgcVersion });
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, MgOptions(mgVersion, MgcPort));
        var expected = Math.Min(mgVersion, mgcVersion);

        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Registered).Length > 0 && !mgcUser.Registered.IsEmpty, "registration");

        Assert.Equal(expected, mg.Version);
        var registered = Assert.Single(registry.Mgs);
        Assert.Equal(expected, registered.Version);
        Assert.Equal(MIdOf(MgPort), registered.MId);
        Assert.Equal(ServiceChangeMethod.Restart, registered.Method);
        var change = Assert.Single(mgUser.ChangesOf(MgAssociationState.Registered));
        Assert.Equal((Udp(MgcPort), expected, ServiceChangeMethod.Restart), (change.Mgc, change.Version, change.Method));
        // The registration offered the MG's own version, with Restart 901 and its port as ServiceChangeAddress.
        var offer = Assert.IsType<ServiceChangeRequest>(mgTransport.SentTransactions<TransactionRequest>()[0].Actions[0].Commands[0].Command).Parms;
        Assert.Equal((ServiceChangeMethod.Restart, "901", (ushort?)mgVersion, (ushort?)MgPort), (offer.Method, offer.Reason, offer.Version, offer.Address?.Port));

        // From then on both sides send requests in the agreed version.
        var notify = await mg.SendRequestAsync(Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(notify.HasReply);
        var add = await registered.SendRequestAsync(AddChoose(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(add.Reply!.Actions[0].Error);
        Assert.Equal(expected, mgTransport.SentMessages.Last(m => m.Transactions.Any(t => t is TransactionRequest)).Version);
        Assert.Equal(expected, mgcTransport.SentMessages.Last(m => m.Transactions.Any(t => t is TransactionRequest)).Version);
        Assert.Single(mgcUser.Requests);
        Assert.Equal(1, mgUser.Behaviour.Adds);
    }

    [Fact]
    public async Task A461MovesToTheNextProfileOffered()
    {
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        var iq = catalog.GetProfile("iq");
        await using var network = new AssociationNetwork();
        var (registry, _, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, Profiles = [iq] });
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(3, MgcPort) with
        {
            Profiles = [new ServiceChangeProfile("nosuchprofile", 1), ProfileNegotiation.Announce(iq)],
        });

        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.Equal(ProfileNegotiation.Announce(iq), mg.Profile);
        Assert.Equal(ProfileNegotiation.Announce(iq), Assert.Single(registry.Mgs).Profile);
        var offers = mgTransport.SentTransactions<TransactionRequest>().Select(OfferedProfile).ToArray();
        Assert.Equal(["nosuchprofile/1", iq.Identity.ToString()], offers);
    }

    [Fact]
    public async Task AProfileTheMgcProposesIsAdoptedWhenTheMgHasIt()
    {
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        var iq = catalog.GetProfile("iq");
        var ix = catalog.GetProfile("ix");
        await using var network = new AssociationNetwork();
        var (registry, _, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, Profiles = [ix], ProposeAlternativeProfile = true });
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(3, MgcPort) with
        {
            Profiles = [ProfileNegotiation.Announce(iq), ProfileNegotiation.Announce(ix)],
        });

        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        // One ServiceChange: the MGC's counter-proposal is one the MG also has, so it stands.
        Assert.Single(mgTransport.SentTransactions<TransactionRequest>());
        Assert.Equal(ProfileNegotiation.Announce(ix), mg.Profile);
        Assert.Equal(ProfileNegotiation.Announce(ix), Assert.Single(registry.Mgs).Profile);
    }

    [Fact]
    public async Task AnMgWithNoProfileTheMgcServesKeepsRetryingWithBackOff()
    {
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        await using var network = new AssociationNetwork();
        var (registry, _, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, Profiles = [catalog.GetProfile("iq")] });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(3, MgcPort) with { Profiles = [new ServiceChangeProfile("nosuchprofile", 1)] });

        await network.Until(() => Refusals(mgcTransport) >= 3, "three refused rounds");

        Assert.Equal(MgAssociationState.Registering, mg.State);
        Assert.Empty(registry.Mgs);
        Assert.All(mgcTransport.SentTransactions<TransactionReply>(), r =>
            Assert.Equal((ushort)H248ErrorCode.UnsupportedOrUnknownProfile, RootCommands.ReadServiceChangeReply(r).Error!.Code));
        // Rounds 2 s, then 4 s apart (back-off from RetryInitialDelay, doubling).
        Assert.True(network.Time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) >= TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task TheFirstServiceChangeWaitsARandomTimeUpToTheMaximumWaitingDelay()
    {
        await using var network = new AssociationNetwork();
        _ = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(3, MgcPort) with { MaxWaitingDelay = TimeSpan.FromSeconds(5) });

        await Task.Delay(50);
        Assert.Equal(0, mgTransport.SentCount);
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.True(network.Time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) <= TimeSpan.FromSeconds(5.2));
    }

    [Fact]
    public async Task MgcIdToTryInTheReplySendsTheMgToAnotherMgc()
    {
        await using var network = new AssociationNetwork();
        var (front, _, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, RedirectTo = MIdOf(OtherMgcPort) });
        var (serving, servingUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(3, MgcPort));

        await network.Until(() => mg.State == MgAssociationState.Registered && !servingUser.Registered.IsEmpty, "registration");

        Assert.Equal(Udp(OtherMgcPort), mg.Mgc);
        Assert.Empty(front.Mgs);
        Assert.Single(serving.Mgs);
    }

    [Fact]
    public async Task AnUnreachableFirstMgcIsPassedOverForTheNext()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        // Nothing listens on MgcPort: the ServiceChange to it times out after 7 s of retransmissions.
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(3, MgcPort, OtherMgcPort));

        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.Equal(Udp(OtherMgcPort), mg.Mgc);
        Assert.Equal(3, mgTransport.Sent.Count(s => s.Peer.Equals(Udp(MgcPort))));
        Assert.Single(registry.Mgs);
    }

    [Fact]
    public async Task WhenEveryMgcIsDownTheRoundsRepeatUntilOneAnswers()
    {
        await using var network = new AssociationNetwork();
        var (registry, _, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        network.SetDown(MgcPort, true);
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(3, MgcPort));

        await network.Until(() => mgTransport.Sent.Count >= 9, "three rounds of three sends");
        Assert.Equal(MgAssociationState.Registering, mg.State);
        Assert.Equal(TransactionFailure.NotAssociated, (await mg.SendRequestAsync(Notify("msrp/1"), CancellationToken.None)).Failure);

        network.SetDown(MgcPort, false);
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration once the MGC is back");
        Assert.Single(registry.Mgs);
    }

    [Fact]
    public async Task AnUnknownMgIsRefusedWhenRegistrationIsClosed()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { KnownMgs = [MIdOf(OtherMgcPort)] });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(3, MgcPort));

        await network.Until(() => Refusals(mgcTransport) >= 1, "a refusal");

        Assert.Equal((ushort)H248ErrorCode.CommandReceivedFromUnauthorizedEntity,
            RootCommands.ReadServiceChangeReply(mgcTransport.SentTransactions<TransactionReply>()[0]).Error!.Code);
        Assert.Empty(registry.Mgs);
        Assert.Empty(mgcUser.Registered);
        Assert.NotEqual(MgAssociationState.Registered, mg.State);
    }

    [Fact]
    public async Task AKnownMgIsAcceptedWhenRegistrationIsClosed()
    {
        await using var network = new AssociationNetwork();
        var (registry, _, _) = network.Mgc(MgcPort, new MgcRegistryOptions { KnownMgs = [MId.IPv4("127.0.0.1", MgPort)] });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(2, MgcPort));

        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        Assert.Equal(2, Assert.Single(registry.Mgs).Version);
    }

    [Fact]
    public async Task AFullRegistryForgetsAGoneMgToMakeRoom()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, MaxMgs = 1 });
        var (first, _, _) = network.Mg(MgPort, MgOptions(3, MgcPort));
        await network.Until(() => first.State == MgAssociationState.Registered && !mgcUser.Registered.IsEmpty, "the first registration");
        var (second, _, _) = network.Mg(MgPort + 10, MgOptions(3, MgcPort));
        await network.Until(() => Refusals(mgcTransport) >= 1, "the second MG refused");
        Assert.Equal(510, RootCommands.ReadServiceChangeReply(mgcTransport.SentTransactions<TransactionReply>().Last()).Error!.Code);

        var stop = first.StopAsync(graceful: false, TimeSpan.Zero, CancellationToken.None);
        await network.Until(() => second.State == MgAssociationState.Registered, "the second MG registered in its place");

        Assert.True((await stop).HasReply);
        Assert.Equal(MIdOf(MgPort + 10), Assert.Single(registry.Mgs).MId);
    }

    [Fact]
    public async Task ARequestFromAnUnregisteredMgIsRefused()
    {
        await using var network = new AssociationNetwork();
        var (_, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        mgcTransport.Deliver(Udp(MgPort), new MegacoMessage(1, MIdOf(MgPort), [new TransactionRequest(5, Notify("msrp/1"))]));

        await network.Until(() => mgcTransport.SentTransactions<TransactionReply>().Count == 1, "the reply");

        Assert.Equal((ushort)H248ErrorCode.CommandReceivedFromUnauthorizedEntity, mgcTransport.SentTransactions<TransactionReply>()[0].Error!.Code);
        Assert.Empty(mgcUser.Requests);
    }

    [Fact]
    public async Task AnMgcOnAnotherTransportIsAConfigurationError()
    {
        await using var transport = new Transactions.FakeTransport(Udp(MgPort));
        var options = new MgAssociationOptions { Mgcs = [Udp(MgcPort), Megaco.Protocol.Transport.MegacoEndpoint.Parse($"tcp://127.0.0.1:{MgcPort}")] };

        var error = Assert.Throws<ArgumentException>(() => new MgAssociation(transport, AssociationNetwork.Transactions(MgPort), options, new RecordingMgUser()));

        Assert.Contains("tcp://127.0.0.1:4945", error.Message, StringComparison.Ordinal);
    }

    internal static ValueList<ActionRequest> Notify(string termination) =>
        [new ActionRequest(new ContextId(1), [new CommandRequest(new NotifyRequest([new TerminationId(termination)],
            new ObservedEventsDescriptor(1, [new ObservedEvent(new PkgdName("g", "cause"), Parameters: [PropertyParm.Of("", "generalcause", "NR")])])))])];

    internal static ValueList<ActionRequest> AddChoose() =>
        [new ActionRequest(ContextId.Choose, [new CommandRequest(new AmmRequest(AmmKind.Add, [TerminationId.Choose],
            [new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(StreamMode.SendReceive)))]))])];

    private static string OfferedProfile(TransactionRequest request) =>
        ((ServiceChangeRequest)request.Actions[0].Commands[0].Command).Parms.Profile!.ToString();

    private static int Refusals(Transactions.FakeTransport mgcTransport) =>
        mgcTransport.SentTransactions<TransactionReply>().Count(r => RootCommands.ReadServiceChangeReply(r).Error is not null);
}
