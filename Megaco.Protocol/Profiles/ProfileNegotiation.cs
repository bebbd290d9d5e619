using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// Profile and version negotiation in ServiceChange (H.248.1 §7.2.8 ServiceChangeProfile; H.248.18 for 461):
/// the MG offers its profile as <c>name/version</c>; the MGC accepts it, proposes a version or a
/// profile it supports in the reply, or rejects it with 461. Both sides then validate with the
/// agreed profile.
/// </summary>
public static class ProfileNegotiation
{
    /// <summary>
    /// MGC side. <paramref name="supported"/> are the profiles this MGC serves, in order of
    /// preference; <paramref name="proposeAlternative"/> lets it answer an unknown profile with its
    /// first supported one instead of 461.
    /// </summary>
    public static NegotiationResult Answer(ServiceChangeProfile? offered, IReadOnlyList<ProfileDefinition> supported, bool proposeAlternative = false)
    {
        if (offered is null)
        {
            return supported.Count > 0
                ? new NegotiationResult(NegotiationOutcome.Propose, supported[0], Announce(supported[0]), null)
                : Reject("no profile offered and none supported");
        }
        foreach (var profile in supported)
        {
            if (!string.Equals(profile.Identity.Name, offered.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var version = offered.Version ?? profile.Identity.Version;
            if (version == profile.Identity.Version)
            {
                return NegotiationResult.Accepted(profile);
            }
            // Another version of a profile we serve: propose ours and let the MG adopt or give up,
            // as H.248.1 does for the protocol version.
            return new NegotiationResult(NegotiationOutcome.Propose, profile, Announce(profile), null);
        }
        return proposeAlternative && supported.Count > 0
            ? new NegotiationResult(NegotiationOutcome.Propose, supported[0], Announce(supported[0]), null)
            : Reject("profile " + offered + " is not supported");
    }

    /// <summary>
    /// MG side, on the ServiceChange reply: no Profile means the offer stands; a Profile the MG
    /// also has is adopted; anything else leaves the MG without an agreed profile (null).
    /// </summary>
    public static ProfileDefinition? Adopt(ProfileDefinition offered, ServiceChangeProfile? replied, ProfileCatalog catalog)
    {
        if (replied is null)
        {
            return offered;
        }
        var profile = catalog.FindByIdentity(replied.Name);
        return profile is not null && (replied.Version ?? profile.Identity.Version) == profile.Identity.Version ? profile : null;
    }

    /// <summary>The <c>Profile = name/version</c> a profile is announced with.</summary>
    public static ServiceChangeProfile Announce(ProfileDefinition profile) => new(profile.Identity.Name, profile.Identity.Version);

    private static NegotiationResult Reject(string text) =>
        new(NegotiationOutcome.Reject, null, null, new ErrorDescriptor((ushort)H248ErrorCode.UnsupportedOrUnknownProfile, text));
}
