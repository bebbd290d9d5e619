using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Tests.Profiles;

public sealed class ProfileNegotiationTests
{
    private static readonly ProfileDefinition Iq = ProfileData.Catalog.GetProfile("iq");
    private static readonly ProfileDefinition Mp = ProfileData.Catalog.GetProfile("mp");

    [Fact]
    public void Offered_profile_that_is_supported_is_accepted_case_insensitively()
    {
        var offer = new ServiceChangeProfile(Iq.Identity.Name.ToUpperInvariant(), Iq.Identity.Version);
        var result = ProfileNegotiation.Answer(offer, [Mp, Iq]);
        Assert.Equal(NegotiationOutcome.Accept, result.Outcome);
        Assert.Same(Iq, result.Profile);
        Assert.Null(result.Reply);
    }

    [Fact]
    public void Unknown_profile_is_refused_with_461()
    {
        var result = ProfileNegotiation.Answer(new ServiceChangeProfile("ETSI_BGF", 2), [Iq]);
        Assert.Equal(NegotiationOutcome.Reject, result.Outcome);
        Assert.Equal((ushort)H248ErrorCode.UnsupportedOrUnknownProfile, result.Error!.Code);
        Assert.Contains("ETSI_BGF/2", result.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_profile_may_be_answered_with_a_proposal()
    {
        var result = ProfileNegotiation.Answer(new ServiceChangeProfile("ETSI_BGF", 2), [Iq], proposeAlternative: true);
        Assert.Equal(NegotiationOutcome.Propose, result.Outcome);
        Assert.Equal(ProfileNegotiation.Announce(Iq), result.Reply);
    }

    [Fact]
    public void Other_version_of_a_supported_profile_is_answered_with_ours()
    {
        var result = ProfileNegotiation.Answer(new ServiceChangeProfile(Iq.Identity.Name, 9), [Iq]);
        Assert.Equal(NegotiationOutcome.Propose, result.Outcome);
        Assert.Equal(new ServiceChangeProfile(Iq.Identity.Name, Iq.Identity.Version), result.Reply);
    }

    [Fact]
    public void MG_adopts_the_offer_when_the_reply_is_silent_and_a_known_proposal_otherwise()
    {
        Assert.Same(Iq, ProfileNegotiation.Adopt(Iq, null, ProfileData.Catalog));
        Assert.Same(Mp, ProfileNegotiation.Adopt(Iq, ProfileNegotiation.Announce(Mp), ProfileData.Catalog));
        Assert.Null(ProfileNegotiation.Adopt(Iq, new ServiceChangeProfile("nosuch", 1), ProfileData.Catalog));
    }

    [Fact]
    public void Identities_of_the_shipped_profiles_are_distinct()
    {
        var names = ProfileData.Catalog.Profiles.Select(p => p.Identity.Name.ToLowerInvariant()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
