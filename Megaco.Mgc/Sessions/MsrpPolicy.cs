using System.Net;

namespace Megaco.Mgc.Sessions;

/// <summary>
/// What the P-CSCF (IMS-ALG) decided for one SIP dialog, from registration (e2ae support indicated by UE and
/// network, TS 33.328), operator configuration and what it saw of the UE. The SDP decides the rest.
/// </summary>
public sealed record MsrpPolicy
{
    /// <summary>e2ae: terminate TLS at the AGW when a side offers <c>TCP/TLS/MSRP</c> with <c>a=fingerprint</c>; otherwise that TLS is forwarded (e2e).</summary>
    public bool TerminateTls { get; init; }

    /// <summary>Terminating session: offer e2ae TLS to the UE (certificate, or <see cref="PreSharedKey"/>) even when the core offers clear TCP.</summary>
    public bool OfferTlsToUe { get; init; }

    /// <summary>Authenticate the access leg's TLS with this key instead of certificate fingerprints.</summary>
    public PreSharedKey? PreSharedKey { get; init; }

    /// <summary>Protect the core leg with its own TLS session (MG certificate) when the access TLS is terminated (TS 33.328; independent sessions).</summary>
    public bool CoreTls { get; init; }

    /// <summary>Accept a UE's clear <c>TCP/MSRP</c>; when false such an offer is refused (488).</summary>
    public bool AllowClearAccess { get; init; } = true;

    public MsrpAwareness MsrpAwareness { get; init; } = MsrpAwareness.WhenOfferLacksCema;

    public LatchingRule Latching { get; init; } = LatchingRule.WhenBehindNat;

    /// <summary>The source address of the UE's SIP request, for <see cref="LatchingRule.WhenBehindNat"/>.</summary>
    public IPAddress? UeSignallingAddress { get; init; }

    /// <summary>The hash the MG's certificate fingerprint is asked in (RFC 8122 §5; sha-256 as RFC 8122 §5 recommends).</summary>
    public string FingerprintHash { get; init; } = "sha-256";

    /// <summary>Address type of the MG's core-side c= line (<c>IP4</c> or <c>IP6</c>) when the core has not offered one.</summary>
    public string CoreAddressType { get; init; } = "IP4";

    /// <summary>Address type of the MG's access-side c= line when the UE has not offered one (terminating sessions).</summary>
    public string AccessAddressType { get; init; } = "IP4";

    /// <summary>Ask the MG to report application data inactivity after this long (H.248.40 <c>adid/ipstop</c>); null for none.</summary>
    public TimeSpan? InactivityTimeout { get; init; }

    public static MsrpPolicy Default { get; } = new();
}
