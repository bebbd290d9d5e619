namespace Megaco.Mgc.Sessions;

/// <summary>
/// What the MGC decided for a session from the policy and the first offer: each leg's protection, MSRP
/// awareness (MG as MSRP B2BUA), latching on the access leg, and CEMA (RFC 6714): offered, and after the answer
/// whether both ends support it (false with an agnostic MG means the endpoints fall back to RFC 4975 path matching
/// through an MG that does not rewrite paths; the owner may then re-offer or release).
/// </summary>
public sealed record MsrpSessionMode(LegSecurity Access, LegSecurity Core, bool MsrpAware, bool Latching, bool Cema)
{
    /// <summary>e2e: TLS between the endpoints, relayed untouched.</summary>
    public bool IsEndToEnd => Access == LegSecurity.Forwarded;

    /// <summary>e2ae: TLS from the UE terminated at the AGW (certificate or PSK).</summary>
    public bool IsEndToAccessEdge => Access is LegSecurity.Certificate or LegSecurity.PreSharedKey;
}
