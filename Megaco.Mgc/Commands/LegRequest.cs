using Megaco.Mgc.Sessions;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Commands;

/// <summary>What the MGC asks of one MSRP termination (contract: Local descriptor, LocalControl properties, Events).</summary>
internal sealed record LegRequest
{
    /// <summary><c>IP4</c> or <c>IP6</c>: the family of the MG's bearer address on this leg.</summary>
    public required string AddressType { get; init; }

    public required LegSecurity Security { get; init; }

    /// <summary>The MG's TCP role on this leg as shown in SDP; actpass is sent to the MG as <c>a=setup:$</c> (contract: Local a=setup).</summary>
    public required SetupRole Setup { get; init; }

    /// <summary>Ask the MG for its own MSRP URI on this leg (<c>a=path:$</c>, MSRP-aware).</summary>
    public bool MsrpAware { get; init; }

    public bool Latching { get; init; }

    public PreSharedKey? PreSharedKey { get; init; }

    public string FingerprintHash { get; init; } = "sha-256";

    public TimeSpan? InactivityTimeout { get; init; }

    public uint EventRequestId { get; init; }

    public string Protocol => Security == LegSecurity.Clear ? MsrpMedia.TcpProtocol : MsrpMedia.TlsProtocol;

    public bool TerminatesTls => Security is LegSecurity.Certificate or LegSecurity.PreSharedKey;
}
