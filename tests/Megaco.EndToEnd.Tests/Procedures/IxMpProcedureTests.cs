using Megaco.EndToEnd.Tests.Support;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>
/// The same connection-point procedures under the TrGW's Ix profile (TS 29.238; the reserve, configure and release
/// procedures of profiles/ix.json) and the MRFP's Mp profile (TS 23.333 §6.2.20: reserve and configure IMS resources
/// for TCP/MSRP, release them) against the MG process started with that profile: the profile's validation lets the
/// procedure through and the MG relays and counts as on Iq. The Mp conference (more than two
/// terminations in a context) is <c>Conferences/ConferenceTests</c>.
/// </summary>
public sealed class IxMpProcedureTests
{
    [Theory]
    [InlineData("ix")]
    [InlineData("mp")]
    public Task Reserve_and_Configure_then_Release_relay_and_count_under_the_profile(string profile) => ConnectedLegs.RunAsync(profile, async (rig, legs, ct) =>
    {
        await legs.Ue.SendAsync("over the border"u8.ToArray(), ct);
        Assert.Equal("over the border", await Peers.ReadAsync(legs.CorePeer, 15, ct));
        await legs.CorePeer.SendAsync("back"u8.ToArray(), ct);
        Assert.Equal("back", await Peers.ReadAsync(legs.Ue, 4, ct));

        var release = TextMgc.Single(await legs.Mgc.SendAsync($"Context = {legs.Context} {{ Subtract = * }}", ct));
        var access = Assert.Single(release.Commands.AsSpan().ToArray(), c => c.TerminationIds[0] == legs.AccessLeg);
        Assert.Equal((15UL, 4UL), (TextMgc.Statistic(access, "nt/or"), TextMgc.Statistic(access, "nt/os")));
        Assert.Equal(0, await MgAudit.ContextCountAsync(rig.Mg, ct));
    });
}
