using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Association;

/// <summary>Settings of an <see cref="MgAssociation"/>: whom to register with, what to offer, and the timers.</summary>
public sealed record MgAssociationOptions
{
    /// <summary>The MGCs to register with, in order of preference (H.248.1 §11.2: the MG's provisioned list).
    /// The transport's <see cref="PeerFilter"/> should allow the same peers (see <see cref="MgAssociation.PeerFilterFor"/>).</summary>
    public required ValueList<MegacoEndpoint> Mgcs { get; init; }

    /// <summary>Highest protocol version offered in ServiceChangeVersion (H.248.1 §11.3); 1 to 3.</summary>
    public int Version { get; init; } = 3;

    /// <summary>Profiles offered in ServiceChangeProfile, first preferred; after a 461 the next is offered
    /// (H.248.18). Empty: no profile is offered and any the MGC names is taken.</summary>
    public ValueList<ServiceChangeProfile> Profiles { get; init; }

    /// <summary>The reason of the first registration: 901 Cold Boot, or 902 Warm Boot when the MG kept its state.</summary>
    public string RestartReason { get; init; } = ServiceChangeReasons.ColdBoot;

    /// <summary>Whether a registration over UDP carries ServiceChangeAddress = the MG's own port, so that the MGC
    /// sends there (H.248.1 §7.2.8; Erlang's MG does the same). Over TCP the connection is the address.</summary>
    public bool AnnounceAddress { get; init; } = true;

    /// <summary>
    /// Maximum waiting delay (MWD): before each registration procedure (after a boot, after losing the MGC, on a
    /// handoff) and before each new round through <see cref="Mgcs"/>, the MG waits a random time up to this, so that
    /// many MGs that lost the same MGC do not all register at the same moment (the restart avalanche; Cisco's and
    /// Juniper's H.248 gateways provision 0–600 s). 0, the default, waits not at all.
    /// </summary>
    public TimeSpan MaxWaitingDelay { get; init; }

    /// <summary>Resolves an MgcIdToTry or ServiceChangeAddress given as a domain name; <see cref="System.Net.Dns"/> by default.</summary>
    public MIdResolver Resolver { get; init; } = System.Net.Dns.GetHostAddressesAsync;

    /// <summary>Longest wait for <see cref="Resolver"/>: a name that has not resolved by then counts as not resolving.</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most MgcIdToTry redirects followed in a row before the next MGC of the list is tried.</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>Wait before the first new round through <see cref="Mgcs"/> after all of them failed; it doubles each
    /// round up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The inactivity time used when the MGC requests <c>it/ito</c> without mit; 120 s, the default
    /// deployed BGFs provision.</summary>
    public TimeSpan DefaultMaxInactivity { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Shortest inactivity time accepted from the MGC (a smaller mit is raised to it), so a hostile or
    /// mistaken MGC cannot make the MG send a Notify every 10 ms; 1 s, the lowest value deployed BGFs accept.</summary>
    public TimeSpan MinMaxInactivity { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest inactivity time accepted (a larger mit is lowered to it); 655.35 s, the most the 16-bit
    /// mit of deployed BGFs provisions.</summary>
    public TimeSpan MaxMaxInactivity { get; init; } = TimeSpan.FromMilliseconds(655_350);

    /// <summary>Longest ServiceChangeDelay of an MGC's Graceful ServiceChange that is waited out before failing over
    /// (a larger one is cut to it): the MGC's word is not a reason to stay with a departing MGC for days.</summary>
    public TimeSpan MaxGracefulDelay { get; init; } = TimeSpan.FromMinutes(10);
}
