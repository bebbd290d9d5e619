namespace Megaco.Mgc.Sessions;

/// <summary>When the MG is asked to act as MSRP B2BUA (rewriting To-Path and From-Path, contract: MSRP-aware).</summary>
public enum MsrpAwareness : byte
{
    /// <summary>
    /// When the offer lacks <c>a=msrp-cema</c>: an RFC 4975 endpoint connects to and matches on its peer's
    /// <c>a=path</c>, so an anchoring MG must present its own paths; with CEMA the endpoints use c=/m= and the
    /// paths pass unchanged (RFC 6714). Decided on the offer: an answer without CEMA to an offer with it shows as
    /// <see cref="MsrpSessionMode.Cema"/> false.
    /// </summary>
    WhenOfferLacksCema,

    /// <summary>Always (e.g. the operator needs the MSRP content, or a peer of unknown capability).</summary>
    Always,

    /// <summary>Never: the MG stays MSRP-agnostic even without CEMA (the endpoints must cope, e.g. by session matching).</summary>
    Never,
}
