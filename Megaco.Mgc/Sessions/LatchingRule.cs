namespace Megaco.Mgc.Sessions;

/// <summary>When the access termination latches onto the UE's real source address (H.248.37 <c>ipnapt/latch</c>).</summary>
public enum LatchingRule : byte
{
    Never,

    Always,

    /// <summary>
    /// When the UE looks NATed: the address the P-CSCF received its SIP from (<see cref="MsrpPolicy.UeSignallingAddress"/>)
    /// differs from the address in its SDP c= line.
    /// </summary>
    WhenBehindNat,
}
