namespace Megaco.Mgc.Results;

/// <summary>Why an MGC operation did not succeed; each kind names the SIP response a P-CSCF or MRFC sends for it.</summary>
public enum MgcFailureKind : byte
{
    /// <summary>The SDP body could not be read (RFC 8866 syntax, limits, a malformed MSRP attribute). SIP 400 Bad Request.</summary>
    MalformedSdp,

    /// <summary>The SDP is readable but the session it asks for is not acceptable under the policy (no MSRP stream,
    /// clear TCP refused, e2e TLS without CEMA, a changed mode in a re-offer, an answer that contradicts the offer).
    /// SIP 488 Not Acceptable Here (RFC 3261 §21.4.26).</summary>
    NotAcceptable,

    /// <summary>The MG refused the media it was asked for (H.248.8 4xx other than resource errors, 515, 517).
    /// SIP 488 Not Acceptable Here.</summary>
    MediaRefused,

    /// <summary>The MG is out of contexts, terminations, ports or bandwidth (H.248.8 412, 432, 434, 510, 526, 511).
    /// SIP 503 Service Unavailable (RFC 3261 §21.5.4), with Retry-After if the P-CSCF likes.</summary>
    GatewayResourcesExhausted,

    /// <summary>No reply from the MG (timeout, send failure, connection lost, pending limit) or the MG is out of service
    /// (H.248.8 502, 503, 505, 521). SIP 503 Service Unavailable.</summary>
    GatewayUnavailable,

    /// <summary>The MG answered with an error not listed above, or a reply that lacks what the contract promises
    /// (no Local, no context id), or one the profile validator refuses. SIP 500 Server Internal Error.</summary>
    GatewayError,

    /// <summary>The call does not fit the session's state (an answer before an offer, anything after release).
    /// SIP 500 Server Internal Error (a fault in the caller's dialog handling).</summary>
    InvalidState,

    /// <summary>
    /// The caller cancelled the operation; nothing is sent to SIP. A request already sent may still be executed by
    /// the MG (H.248 has no cancel); a cancelled first offer leaves its context to the MG's own idle timers.
    /// </summary>
    Cancelled,
}
