namespace Megaco.Protocol.Profiles;

/// <summary>What an MGC answers to the profile an MG offers in ServiceChange.</summary>
public enum NegotiationOutcome : byte
{
    /// <summary>The offered profile and version are supported as they are.</summary>
    Accept,
    /// <summary>The profile is supported at another version, or another profile is proposed in the reply's Profile.</summary>
    Propose,
    /// <summary>Error 461: unsupported or unknown profile (H.248.18).</summary>
    Reject,
}
