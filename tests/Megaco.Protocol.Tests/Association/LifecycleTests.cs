using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using static Megaco.Protocol.Tests.Association.AssociationNetwork;

namespace Megaco.Protocol.Tests.Association;

/// <summary>What happens to a registered association: outages (H.248.1 §11.5), the it/ito heartbeat (H.248.14),
/// silent MGs, MG restarts, handoff and shutdown (§7.2.8).</summary>
public sealed class LifecycleTests
{
    private const int MgPort = 5944;
    private const int MgcPort = 5945;
    private const int OtherMgcPort = 5946;

    private static MgAssociationOptions MgOptions(params int[] mgcPorts) => new()
    {
        Mgcs = [.. mgcPorts.Select(Udp)],
        RetryInitialDelay = TimeSpan.FromSeconds(2),
        RetryMaxDelay = TimeSpan.FromSeconds(8),
    };

    [Fact]
    public async Task AfterAnOutageTheMgRegistersAgainWithDisconnectedAndKeepsItsContexts()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => mg.State == MgAssociationState.Registered && !mgcUser.Registered.IsEmpty, "registration");
        var added = await Assert.Single(registry.Mgs).SendRequestAsync(RegistrationTests.AddChoose(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(added.HasReply);

        network.SetDown(MgcPort, true);
        var notify = mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None);
        await network.Until(() => notify.IsCompleted, "the Notify to time out");
        Assert.Equal(TransactionFailure.Timeout, (await notify).Failure);
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Lost).Length > 0, "the loss reported");
        network.SetDown(MgcPort, false);
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Registered).Length == 2, "re-registration");

        var again = mgUser.ChangesOf(MgAssociationState.Registered)[1];
        Assert.Equal(ServiceChangeMethod.Disconnected, again.Method);
        var disconnected = mgTransport.SentTransactions<TransactionRequest>()
            .Select(r => RootCommands.RootServiceChange(r)).OfType<ServiceChangeParm>().Last();
        Assert.Equal((ServiceChangeMethod.Disconnected, "900"), (disconnected.Method, disconnected.Reason));
        // Disconnected is not a restart: the MGC keeps the MG's sessions.
        Assert.Empty(mgcUser.Restarted);
        Assert.Equal([ServiceChangeMethod.Restart, ServiceChangeMethod.Disconnected], mgcUser.Methods.ToArray());
        Assert.Equal(1, mgUser.Behaviour.Adds);
        Assert.True((await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).HasReply);
    }

    [Fact]
    public async Task TheMgSendsTheItoHeartbeatWhenTheMgcIsQuietAndFindsASilentMgcLost()
    {
        await using var network = new AssociationNetwork();
        var (_, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, InactivityTimer = TimeSpan.FromSeconds(10) });
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort, OtherMgcPort));
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");

        // The MGC asks for it/ito with mit = 1000 (10 ms units) on ROOT; the association answers it, not the user.
        await network.Until(() => mgTransport.SentTransactions<TransactionReply>().Any(r => r.Actions is [{ Commands: [AmmsReply { Kind: AmmsKind.Modify }] }]), "the it/ito request answered", TimeSpan.FromMilliseconds(10));
        var request = mgcTransport.SentTransactions<TransactionRequest>().Single();
        Assert.True(RootCommands.IsInactivityTimerRequest(request, out var requestId, out var mit));
        Assert.Equal((0xFFFFu, TimeSpan.FromSeconds(10)), (requestId!.Value, mit!.Value));
        Assert.Empty(mgUser.Requests);

        await network.Until(() => Heartbeats(mgTransport) >= 2, "two heartbeats", TimeSpan.FromSeconds(1));
        Assert.Equal(MgAssociationState.Registered, mg.State);
        Assert.Empty(mgcUser.Requests);
        Assert.Empty(mgcUser.Lost);

        // The MGC goes silent: the next heartbeat is not answered, so the MG fails over.
        network.SetDown(MgcPort, true);
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Lost).Length > 0, "the silent MGC found lost", TimeSpan.FromSeconds(1));
        Assert.Contains("it/ito", mgUser.ChangesOf(MgAssociationState.Lost)[0].Detail, StringComparison.Ordinal);
        await network.Until(() => mgTransport.Sent.Any(s => s.Peer.Equals(Udp(OtherMgcPort))), "re-registration with the next MGC", TimeSpan.FromSeconds(1));
        var retry = mgTransport.SentTransactions<TransactionRequest>().Select(RootCommands.RootServiceChange).OfType<ServiceChangeParm>().Last();
        Assert.Equal(ServiceChangeMethod.Disconnected, retry.Method);
    }

    [Fact]
    public async Task TheMgcAuditsASilentMgAndReportsItLost()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, SilenceBeforeAudit = TimeSpan.FromSeconds(30) });
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !mgcUser.Registered.IsEmpty, "registration");

        // An MG that answers the audit stays registered.
        await network.Until(() => Audits(mgcTransport) == 1 && mgTransport.SentTransactions<TransactionReply>().Count == 1, "one answered audit", TimeSpan.FromSeconds(1));
        Assert.Equal(RegisteredMgState.Registered, registry.Mgs[0].State);

        network.SetDown(MgPort, true);
        await network.Until(() => !mgcUser.Lost.IsEmpty, "the silent MG found lost", TimeSpan.FromSeconds(1));

        var (lost, reason) = Assert.Single(mgcUser.Lost);
        Assert.Equal(RegisteredMgState.Lost, lost.State);
        Assert.Contains("Timeout", reason, StringComparison.Ordinal);
        Assert.Equal(TransactionFailure.NotAssociated, (await lost.SendRequestAsync(RegistrationTests.AddChoose(), CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task AnMgWhoseHeartbeatStopsIsAuditedAndLost()
    {
        await using var network = new AssociationNetwork();
        var (_, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, InactivityTimer = TimeSpan.FromSeconds(10) });
        var (mg, _, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => mg.State == MgAssociationState.Registered, "registration");
        await network.Until(() => Heartbeats(mgTransport) >= 3, "three heartbeats", TimeSpan.FromSeconds(1));
        // Heartbeats every 10 s keep the MG from being audited (the MGC waits two periods).
        Assert.Equal(0, Audits(mgcTransport));

        network.SetDown(MgPort, true);
        await network.Until(() => !mgcUser.Lost.IsEmpty, "the MG found lost", TimeSpan.FromSeconds(1));

        Assert.Equal(1, Audits(mgcTransport));
        Assert.Contains("Timeout", Assert.Single(mgcUser.Lost).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistrationTheUserDeclinesIsRefusedWith503()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, mgcTransport) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        mgcUser.Decline = true;
        var (mg, _, _) = network.Mg(MgPort, MgOptions(MgcPort));

        await network.Until(() => mgcTransport.SentTransactions<TransactionReply>().Count >= 1, "the refusal");

        Assert.Equal(503, RootCommands.ReadServiceChangeReply(mgcTransport.SentTransactions<TransactionReply>()[0]).Error!.Code);
        Assert.Empty(registry.Mgs);
        Assert.Empty(mgcUser.Registered);
        Assert.NotEqual(MgAssociationState.Registered, mg.State);
    }

    [Fact]
    public async Task AnMgThatRegistersAgainWithRestartIsReportedRestarted()
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (first, _, firstTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !mgcUser.Registered.IsEmpty, "registration");
        await first.DisposeAsync();
        await firstTransport.DisposeAsync();

        // The same MG (same mId) boots again, from another port this time.
        var (second, _, _) = network.Mg(MgPort + 10, MgOptions(MgcPort), mid: MIdOf(MgPort));
        await network.Until(() => !mgcUser.Restarted.IsEmpty, "the restart reported");

        var mg = Assert.Single(registry.Mgs);
        Assert.Same(mg, Assert.Single(mgcUser.Restarted));
        Assert.Equal(2, mg.Registrations);
        Assert.Equal(Udp(MgPort + 10), mg.Endpoint);
        Assert.Equal(RegisteredMgState.Registered, mg.State);
        Assert.Equal(MgAssociationState.Registered, second.State);
    }

    [Fact]
    public async Task HandOffMovesTheMgToTheMgcNamed()
    {
        await using var network = new AssociationNetwork();
        var (first, firstUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (second, secondUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, mgUser, _) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !firstUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");

        var handOff = await first.Mgs[0].HandOffAsync(MIdOf(OtherMgcPort), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(handOff.HasReply);
        await network.Until(() => !secondUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered && mg.Mgc == Udp(OtherMgcPort) && !firstUser.Lost.IsEmpty, "registration with the second MGC");

        Assert.Equal(ServiceChangeMethod.HandOff, second.Mgs[0].Method);
        Assert.Equal(RegisteredMgState.HandedOff, first.Mgs[0].State);
        Assert.Contains("handed off", Assert.Single(firstUser.Lost).Reason, StringComparison.Ordinal);
        Assert.Equal(ServiceChangeMethod.HandOff, mgUser.ChangesOf(MgAssociationState.Registered)[1].Method);
        Assert.Empty(secondUser.Restarted);
    }

    [Fact]
    public async Task AHandOffToAnUnreachableMgcFallsBackToDisconnectedWithTheMgcLastInContact()
    {
        await using var network = new AssociationNetwork();
        var (first, firstUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !firstUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");

        // Nothing listens at the MGC named: the HandOff registration times out.
        var handOff = await first.Mgs[0].HandOffAsync(MIdOf(OtherMgcPort), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(handOff.HasReply);
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Registered).Length == 2, "registration after the failed handoff", TimeSpan.FromMilliseconds(500));

        var serviceChanges = mgTransport.Sent
            .SelectMany(s => MegacoTextReader.Default.Read(s.Bytes).Message!.Transactions.OfType<TransactionRequest>().Select(r => (s.Peer, Parm: RootCommands.RootServiceChange(r))))
            .Where(s => s.Parm is not null).ToList();
        // H.248.1 §7.2.8: HandOff only to the MGC named; §11.5: then Disconnected, first to the MGC last in contact.
        Assert.All(serviceChanges.Where(s => s.Peer == Udp(OtherMgcPort)), s => Assert.Equal(ServiceChangeMethod.HandOff, s.Parm!.Method));
        Assert.Contains(serviceChanges, s => s.Peer == Udp(OtherMgcPort));
        var fallback = serviceChanges.Last();
        Assert.Equal((Udp(MgcPort), ServiceChangeMethod.Disconnected, "900"), (fallback.Peer, fallback.Parm!.Method, fallback.Parm.Reason));
        Assert.Equal(ServiceChangeMethod.Disconnected, mgUser.ChangesOf(MgAssociationState.Registered)[1].Method);
        Assert.Equal(Udp(MgcPort), mg.Mgc);
        Assert.Equal([ServiceChangeMethod.Restart, ServiceChangeMethod.Disconnected], firstUser.Methods.ToArray());
        Assert.Empty(firstUser.Restarted);
    }

    [Fact]
    public async Task AHandOffToADomainNameIsResolvedAndFollowed()
    {
        await using var network = new AssociationNetwork();
        var (first, firstUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (second, secondUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var asked = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var (mg, mgUser, _) = network.Mg(MgPort, MgOptions(MgcPort) with
        {
            Resolver = (name, _) =>
            {
                asked.Enqueue(name);
                return Task.FromResult(name == "mgc2.test" ? new[] { System.Net.IPAddress.IPv6Loopback, System.Net.IPAddress.Loopback } : []);
            },
        });
        await network.Until(() => !firstUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");

        var handOff = await first.Mgs[0].HandOffAsync(MId.Domain("mgc2.test", OtherMgcPort), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(RootCommands.ReadServiceChangeReply(handOff.Reply!).Error);
        await network.Until(() => !secondUser.Registered.IsEmpty && mg.Mgc == Udp(OtherMgcPort), "registration with the MGC named");

        Assert.Equal(["mgc2.test"], asked);
        Assert.Equal(ServiceChangeMethod.HandOff, second.Mgs[0].Method);
        Assert.Equal(ServiceChangeMethod.HandOff, mgUser.ChangesOf(MgAssociationState.Registered)[1].Method);
    }

    [Fact]
    public async Task AnMgcIdToTryGivenAsADomainNameRedirectsTheRegistration()
    {
        await using var network = new AssociationNetwork();
        var (_, firstUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true, RedirectTo = MId.Domain("backup.mgc.test", OtherMgcPort) });
        var (second, secondUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(MgcPort) with
        {
            Resolver = (name, _) => Task.FromResult(name == "backup.mgc.test" ? new[] { System.Net.IPAddress.Loopback } : []),
        });

        await network.Until(() => mg.State == MgAssociationState.Registered && !secondUser.Registered.IsEmpty, "registration with the MGC tried");

        Assert.Equal(Udp(OtherMgcPort), mg.Mgc);
        Assert.Empty(firstUser.Registered);
        Assert.Single(second.Mgs);
    }

    [Fact]
    public async Task AForcedServiceChangeFromTheMgcMakesTheMgFailOverToTheNextMgc()
    {
        await using var network = new AssociationNetwork();
        var (first, firstUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (second, secondUser, _) = network.Mgc(OtherMgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, _, _) = network.Mg(MgPort, MgOptions(MgcPort, OtherMgcPort));
        await network.Until(() => !firstUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");

        var forced = await first.Mgs[0].SendRequestAsync(RootCommands.ServiceChange(new ServiceChangeParm(ServiceChangeMethod.Forced, "909")), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(RootCommands.ReadServiceChangeReply(forced.Reply!).Error);
        await network.Until(() => !secondUser.Registered.IsEmpty, "registration with the next MGC");

        Assert.Equal(ServiceChangeMethod.Failover, second.Mgs[0].Method);
        Assert.Equal(Udp(OtherMgcPort), mg.Mgc);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StopSaysGoodbyeWithGracefulOrForced(bool graceful)
    {
        await using var network = new AssociationNetwork();
        var (registry, mgcUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, mgUser, mgTransport) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !mgcUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");

        var stop = mg.StopAsync(graceful, TimeSpan.FromSeconds(20), CancellationToken.None);
        await Transactions.Eventually.True(() => !mgcUser.Lost.IsEmpty, "the MGC to hear the goodbye");
        // Graceful returns only after the delay it announced.
        Assert.True(!graceful || !stop.IsCompleted);
        await network.Until(() => stop.IsCompleted, "the stop", TimeSpan.FromSeconds(1));

        Assert.True((await stop).HasReply);
        var goodbye = mgTransport.SentTransactions<TransactionRequest>().Select(RootCommands.RootServiceChange).OfType<ServiceChangeParm>().Last();
        Assert.Equal(graceful ? ServiceChangeMethod.Graceful : ServiceChangeMethod.Forced, goodbye.Method);
        Assert.Equal("905", goodbye.Reason);
        Assert.Equal(graceful ? 20u : null, goodbye.Delay);
        Assert.True(!graceful || network.Time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) >= TimeSpan.FromSeconds(20));
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Stopped).Length == 1, "the MG's user told");
        Assert.Contains(graceful ? "Graceful" : "Forced", Assert.Single(mgcUser.Lost).Reason, StringComparison.Ordinal);
        Assert.Equal(MgAssociationState.Stopped, mg.State);
        Assert.Equal(TransactionFailure.NotAssociated, (await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task AStopTheCallerStopsWaitingForStillEndsStopped()
    {
        await using var network = new AssociationNetwork();
        var (_, mgcUser, _) = network.Mgc(MgcPort, new MgcRegistryOptions { AllowRegistration = true });
        var (mg, mgUser, _) = network.Mg(MgPort, MgOptions(MgcPort));
        await network.Until(() => !mgcUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration");
        network.SetDown(MgcPort, true);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mg.StopAsync(graceful: true, TimeSpan.FromSeconds(30), cancel.Token));

        Assert.Equal(MgAssociationState.Stopped, mg.State);
        await network.Until(() => mgUser.ChangesOf(MgAssociationState.Stopped).Length == 1, "the MG's user told");
    }

    private static int Heartbeats(Transactions.FakeTransport mgTransport) =>
        mgTransport.SentTransactions<TransactionRequest>().Count(RootCommands.IsInactivityNotify);

    /// <summary>Audits sent, not counting retransmissions.</summary>
    private static int Audits(Transactions.FakeTransport mgcTransport) =>
        mgcTransport.SentTransactions<TransactionRequest>().Where(r => r.Actions is [{ Commands: [{ Command: AuditRequest }] }])
            .Select(r => r.TransactionId).Distinct().Count();
}
