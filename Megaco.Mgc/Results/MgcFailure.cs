namespace Megaco.Mgc.Results;

/// <summary>
/// A typed refusal the P-CSCF or MRFC turns into a SIP error response: <see cref="SipStatusCode"/> is the
/// code to send, <see cref="Detail"/> a reason for logs (never for the UE: it may name internal addresses),
/// <see cref="ErrorCode"/> the H.248.8 code when the MG sent one.
/// </summary>
public sealed record MgcFailure(MgcFailureKind Kind, string Detail, ushort? ErrorCode = null)
{
    /// <summary>The SIP status code for <see cref="Kind"/> (see each kind's documentation); 0 for <see cref="MgcFailureKind.Cancelled"/>.</summary>
    public int SipStatusCode => Kind switch
    {
        MgcFailureKind.MalformedSdp => 400,
        MgcFailureKind.NotAcceptable or MgcFailureKind.MediaRefused => 488,
        MgcFailureKind.GatewayResourcesExhausted or MgcFailureKind.GatewayUnavailable => 503,
        MgcFailureKind.Cancelled => 0,
        _ => 500,
    };

    public override string ToString() =>
        Kind + (ErrorCode is { } code ? " (H.248 " + code + ")" : "") + ": " + Detail;
}
