namespace Megaco.Protocol;

/// <summary>
/// Bounds on what the codec accepts from the network. Every default names where it comes from;
/// a value that exceeds a bound is a syntax error (400/403), never a wrap or an unbounded allocation.
/// </summary>
public sealed record MegacoLimits
{
    public static readonly MegacoLimits Default = new();

    /// <summary>Largest message accepted: 64 KiB, the TPKT ceiling of H.248.1 Annex D.2 (65535 octets) rounded up.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Deepest brace nesting. The deepest legal Annex B production (an event with an embedded
    /// RegulatedNotify inside a Media/Stream audit) stays under 16; 32 leaves room for extensions.</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>Most transactions in one message (H.248.8 code 413 beyond it). Erlang/OTP megaco batches at most 10.</summary>
    public int MaxTransactionsPerMessage { get; init; } = 256;

    /// <summary>Most items in any one list (actions, commands, descriptors, properties, values, SDP lines).</summary>
    public int MaxListLength { get; init; } = 1024;

    /// <summary>Longest single token, quoted string or SDP/octet block, in bytes.</summary>
    public int MaxTokenLength { get; init; } = 8 * 1024;
}
