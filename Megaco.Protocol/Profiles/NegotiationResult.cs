using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>The answer to an offered profile: the agreed profile, a proposal, or the 461 error.</summary>
public sealed record NegotiationResult(NegotiationOutcome Outcome, ProfileDefinition? Profile, ServiceChangeProfile? Reply, ErrorDescriptor? Error)
{
    public static NegotiationResult Accepted(ProfileDefinition profile) => new(NegotiationOutcome.Accept, profile, null, null);
}
