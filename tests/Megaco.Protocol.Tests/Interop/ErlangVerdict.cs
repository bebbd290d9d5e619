namespace Megaco.Protocol.Tests.Interop;

/// <summary>What Erlang/OTP megaco said about one job of an <see cref="ErlangOracle"/> batch.</summary>
public enum ErlangVerdict
{
    /// <summary>decode: the message decoded; encode: it decoded and was written in the asked style.</summary>
    Ok,
    /// <summary>equal: both sides decoded to the same term (after the documented normalisation).</summary>
    Equal,
    /// <summary>equal: both decoded, to different terms; the detail names the first differing subterm.</summary>
    Diff,
    /// <summary>A side failed to read or decode (or encode); the detail says which and why.</summary>
    Error,
}
