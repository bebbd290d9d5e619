namespace Megaco.Protocol.Model;

/// <summary>
/// <c>DigitMap [= name] [{ digitMapValue }]</c> (H.248.1 §7.1.14): a named map, a map value, or both.
/// </summary>
public sealed record DigitMapDescriptor(string? Name = null, DigitMapValue? Value = null) : Descriptor;

/// <summary>
/// The timers (T: start, S: short, L: long, v2 Z: duration) and the digit map body without white space,
/// which H.248.1 Annex B allows in it but which means nothing there.
/// </summary>
public sealed record DigitMapValue(
    string Body,
    ushort? StartTimer = null,
    ushort? ShortTimer = null,
    ushort? LongTimer = null,
    ushort? DurationTimer = null);
