namespace Megaco.Mg.DataPath.Msrp;

/// <summary>The continuation flag closing an MSRP end-line; each value is its wire byte.</summary>
public enum MsrpEndFlag : byte
{
    /// <summary><c>$</c>: the last chunk of the message (RFC 4975 §7.1).</summary>
    Complete = (byte)'$',

    /// <summary><c>+</c>: another chunk of the message follows (RFC 4975 §7.1).</summary>
    Continued = (byte)'+',

    /// <summary><c>#</c>: the sender aborted the message (RFC 4975 §7.1).</summary>
    Aborted = (byte)'#',
}
