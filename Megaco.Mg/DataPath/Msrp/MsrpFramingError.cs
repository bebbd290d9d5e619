namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// A refused MSRP stream: the reason and the stream offset of the line (or end of input) at fault.
/// Returned, never thrown: a peer's bytes are not an exceptional condition.
/// </summary>
public readonly record struct MsrpFramingError(MsrpFramingErrorReason Reason, long Offset)
{
    public bool IsError => Reason != MsrpFramingErrorReason.None;

    public override string ToString() => $"MSRP framing error {Reason} at byte {Offset}";
}
