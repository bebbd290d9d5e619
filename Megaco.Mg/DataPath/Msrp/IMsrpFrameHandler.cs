namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// What <see cref="MsrpFramer"/> reports, in wire order. Implemented by structs so the framer's generic
/// calls are direct. Spans are valid only during the call.
/// </summary>
public interface IMsrpFrameHandler
{
    void OnStartLine(MsrpStartLine startLine);

    /// <summary>One header line; anything but <see cref="MsrpFramingErrorReason.None"/> stops the stream with that reason.</summary>
    MsrpFramingErrorReason OnHeader(MsrpHeaderLine header);

    /// <summary>
    /// The blank line after the headers: a body follows (possibly empty). Anything but
    /// <see cref="MsrpFramingErrorReason.None"/> stops the stream with that reason.
    /// </summary>
    MsrpFramingErrorReason OnBodyStart();

    /// <summary>The next bytes of the body; a body arrives in any number of slices.</summary>
    void OnBodySlice(ReadOnlySpan<byte> slice);

    /// <summary>The end-line that closes the message; anything but <see cref="MsrpFramingErrorReason.None"/> stops the stream with that reason.</summary>
    MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine);
}
