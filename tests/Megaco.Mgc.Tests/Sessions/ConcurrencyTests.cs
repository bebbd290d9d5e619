using Megaco.Mgc.Results;
using Megaco.Mgc.Sessions;
using Megaco.Mgc.Tests.Fakes;

namespace Megaco.Mgc.Tests.Sessions;

/// <summary>Calls on one session are serialized; many sessions run side by side on one controller.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_offers_on_one_session_create_one_context()
    {
        var gateway = new RecordingGateway { Delay = TimeSpan.FromMilliseconds(20) };
        var session = new MsrpSessionController(gateway).CreateSession();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => session.OfferFromAccessAsync(Sdps.UeOffer()))));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(MgcFailureKind.InvalidState, o.Failure!.Kind));
        Assert.Single(gateway.Texts);
        Assert.Equal(1, gateway.Engine.ContextCount);
    }

    [Fact]
    public async Task Release_racing_an_answer_leaves_nothing_behind()
    {
        var gateway = new RecordingGateway { Delay = TimeSpan.FromMilliseconds(10) };
        var controller = new MsrpSessionController(gateway);
        var session = controller.CreateSession();
        await session.OfferFromAccessAsync(Sdps.UeOffer());

        var answer = Task.Run(() => session.AnswerFromCoreAsync(Sdps.Core()));
        var release = Task.Run(() => session.ReleaseAsync());
        await Task.WhenAll(answer, release);

        Assert.True((await release).Succeeded);
        Assert.Equal(MsrpSessionState.Released, session.State);
        Assert.Equal(0, gateway.Engine.ContextCount);
        Assert.Equal(0, controller.ActiveContexts);
    }

    [Fact]
    public async Task Many_sessions_in_parallel_get_their_own_contexts_and_all_release()
    {
        var gateway = new RecordingGateway { Delay = TimeSpan.FromMilliseconds(1) };
        var controller = new MsrpSessionController(gateway);

        var contexts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            var session = controller.CreateSession();
            Assert.True((await session.OfferFromAccessAsync(Sdps.UeOffer())).Succeeded);
            Assert.True((await session.AnswerFromCoreAsync(Sdps.Core())).Succeeded);
            var context = session.Context.Value;
            Assert.Equal(2, (await session.ReleaseAsync()).Statistics.Count);
            return context;
        })));

        Assert.Equal(50, contexts.Distinct().Count());
        Assert.Equal(0, gateway.Engine.ContextCount);
        Assert.Equal(0, controller.ActiveContexts);
    }
}
