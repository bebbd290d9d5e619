using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Transactions;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Association;

/// <summary>
/// Registration over the <see cref="FaultyNetwork"/> at 30% loss, 10% duplication and reordering: every MG ends
/// registered exactly once (a retransmitted ServiceChange is answered from the reply cache, never registered twice
/// or mistaken for a restart), and a Notify from each then gets through.
/// </summary>
public sealed class RegistrationUnderLossTests
{
    private const int Mgs = 20;

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task EveryMgRegistersOnceAt30PercentLoss(int seed)
    {
        var network = new FaultyNetwork(seed, loss: 0.30, duplication: 0.10, maxDelayMilliseconds: 5);
        var options = new TransactionOptions
        {
            MId = MId.IPv4("127.0.0.1", 6945),
            // At 30% loss each way an attempt gets through with p = 0.49; 40 attempts leave ~1e-12 per transaction, and
            // spread over ~9 s they outlast a loaded machine's stalls (a timed-out registration is sent anew, which the
            // MGC would rightly count as a second one).
            RequestTimer = new RetransmitSchedule(TimeSpan.FromMilliseconds(20), 1.5, TimeSpan.Zero, TimeSpan.FromMilliseconds(250), 40),
            ReplyHoldTime = TimeSpan.FromSeconds(10),
            AckDelay = TimeSpan.FromMilliseconds(10),
            Workers = 2,
        };
        var mgcTransport = new FakeTransport(MegacoEndpoint.Parse("udp://127.0.0.1:6945"));
        network.Attach(mgcTransport);
        var mgcUser = new RecordingMgcUser();
        await using var registry = new MgcRegistry(mgcTransport, options, new MgcRegistryOptions { AllowRegistration = true }, mgcUser);
        registry.Start();
        var mgs = new List<(MgAssociation Association, RecordingMgUser User)>();
        try
        {
            for (var i = 0; i < Mgs; i++)
            {
                var transport = new FakeTransport(MegacoEndpoint.Parse($"udp://127.0.0.1:{7000 + i}"));
                network.Attach(transport);
                var user = new RecordingMgUser();
                var association = new MgAssociation(transport, options with { MId = MId.IPv4("127.0.0.1", (ushort)(7000 + i)) },
                    new MgAssociationOptions { Mgcs = [mgcTransport.LocalEndpoint], RetryInitialDelay = TimeSpan.FromMilliseconds(50) }, user);
                mgs.Add((association, user));
                association.Start();
            }

            await Eventually.True(() => mgcUser.Registered.Count >= Mgs && mgs.All(m => m.Association.State == MgAssociationState.Registered),
                "every MG registered", 60_000);
            var notifies = await Task.WhenAll(mgs.Select(m => m.Association.SendRequestAsync(RegistrationTests.Notify("msrp/1"), CancellationToken.None)))
                .WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(network.Dropped > 0);
            Assert.Equal(Mgs, registry.Mgs.Count);
            Assert.All(registry.Mgs, mg => Assert.Equal((1, RegisteredMgState.Registered), (mg.Registrations, mg.State)));
            Assert.Empty(mgcUser.Restarted);
            Assert.All(mgs, m => Assert.Single(m.User.ChangesOf(MgAssociationState.Registered)));
            Assert.All(notifies, n => Assert.True(n.HasReply, n.Failure.ToString()));
            Assert.Equal(Mgs, mgcUser.Requests.Count);
        }
        finally
        {
            foreach (var (association, _) in mgs)
            {
                await association.DisposeAsync();
            }
        }
    }
}
