using System.Net.Sockets;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Mgc.Sessions;

namespace Megaco.EndToEnd.Tests.Sessions;

/// <summary>An originating session set up through the MGC library with the core answering passive: the MG connects to
/// the test's core listener once the UE is connected.</summary>
internal sealed class SessionSetup : IDisposable
{
    private SessionSetup(MsrpSession session, string toCore, string toUe, Socket coreListener)
    {
        Session = session;
        ToCore = toCore;
        ToUe = toUe;
        CoreListener = coreListener;
    }

    public MsrpSession Session { get; }

    /// <summary>The offer the MGC produced for the core (the MG's core leg).</summary>
    public string ToCore { get; }

    /// <summary>The answer the MGC produced for the UE (the MG's access leg).</summary>
    public string ToUe { get; }

    public Socket CoreListener { get; }

    public int CorePort => Peers.PortOf(CoreListener);

    public int AccessPort => Sdp.Port(ToUe);

    public static async Task<SessionSetup> OriginatingAsync(MgRig rig, MsrpPolicy policy, string[] ueAttributes, string[] coreAttributes, CancellationToken ct)
    {
        var coreListener = Peers.Listen();
        try
        {
            var session = rig.Sessions.CreateSession(policy);
            var toCore = await session.OfferFromAccessAsync(Sdp.UeOffer("127.0.0.1", ueAttributes), ct);
            Assert.True(toCore.Succeeded, toCore.ToString());
            var toUe = await session.AnswerFromCoreAsync(Sdp.Core(Peers.PortOf(coreListener), "a=setup:passive", coreAttributes), ct);
            Assert.True(toUe.Succeeded, toUe.ToString());
            return new SessionSetup(session, toCore.Sdp, toUe.Sdp, coreListener);
        }
        catch
        {
            coreListener.Dispose();
            throw;
        }
    }

    public void Dispose() => CoreListener.Dispose();
}
