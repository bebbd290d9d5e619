namespace Megaco.Protocol.Transport;

/// <summary>Why a TPKT header was refused (RFC 1006 §6, H.248.1 Annex D.2).</summary>
public enum TpktError : byte
{
    None,

    /// <summary>Byte 0 is not 3.</summary>
    BadVersion,

    /// <summary>Byte 1 is not 0.</summary>
    BadReserved,

    /// <summary>The length does not cover the 4-byte header plus at least one payload byte.</summary>
    LengthTooSmall,

    /// <summary>The length exceeds the configured maximum message size.</summary>
    LengthTooLarge,
}
