using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Association;

/// <summary>Settings of an <see cref="MgcRegistry"/>: who may register, what is agreed, how silent MGs are found.</summary>
public sealed record MgcRegistryOptions
{
    /// <summary>Whether any MG may register (issue 4: "the MGC from known MGs or any when it allows registration").
    /// When false only <see cref="KnownMgs"/> may; others get 504.</summary>
    public bool AllowRegistration { get; init; }

    /// <summary>The MGs (by mId) that may register when <see cref="AllowRegistration"/> is off.</summary>
    public ValueList<MId> KnownMgs { get; init; }

    /// <summary>Highest protocol version this MGC speaks; the agreed one is the lower of it and the MG's offer (H.248.1 §11.3).</summary>
    public int Version { get; init; } = 3;

    /// <summary>Profiles served, in order of preference; empty: any offered profile is accepted as it is.</summary>
    public IReadOnlyList<ProfileDefinition> Profiles { get; init; } = [];

    /// <summary>Answer an unknown profile with the first served one instead of 461 (H.248.18).</summary>
    public bool ProposeAlternativeProfile { get; init; }

    /// <summary>Most MGs kept in the registry; when full, a lost or handed-off MG is forgotten to make room, and with
    /// none such a new registration gets 510 Insufficient Resources.</summary>
    public int MaxMgs { get; init; } = 10_000;

    /// <summary>When set, after registration the MGC requests the H.248.14 <c>it/ito</c> heartbeat on the MG's ROOT with
    /// this maximum inactivity time (only MGs whose profile has the <c>it</c> package should be asked; 29.334: UDP only).</summary>
    public TimeSpan? InactivityTimer { get; init; }

    /// <summary>When set, an MG not heard from for this long is audited (AuditValue on ROOT); no answer marks it lost.
    /// Unset, it is twice <see cref="InactivityTimer"/> when that is set (a heartbeating MG is then never audited),
    /// else MGs are not watched.</summary>
    public TimeSpan? SilenceBeforeAudit { get; init; }

    /// <summary>When set, every registration is answered with this MgcIdToTry instead (a front-end MGC that sends MGs
    /// to the one that serves them); nothing is registered here.</summary>
    public MId? RedirectTo { get; init; }

    /// <summary>The Events request id used for the it/ito request.</summary>
    public uint InactivityRequestId { get; init; } = 0xFFFF;

    /// <summary>Resolves a registering MG's ServiceChangeAddress given as a domain name; <see cref="System.Net.Dns"/> by default.</summary>
    public MIdResolver Resolver { get; init; } = System.Net.Dns.GetHostAddressesAsync;

    /// <summary>Longest wait for <see cref="Resolver"/>: a name that has not resolved by then leaves the MG's source address.</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
