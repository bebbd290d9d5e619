using System.Buffers;
using System.Text;
using Megaco.Mg.DataPath.Msrp;

using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>
/// Records framer events as strings, merging consecutive body slices so that how the input was split
/// does not show; the framing itself must not depend on it.
/// </summary>
internal struct RecordingHandler : IMsrpFrameHandler
{
    private readonly StringBuilder _body;

    public RecordingHandler()
    {
        Events = [];
        _body = new StringBuilder();
    }

    public List<string> Events { get; }

    public void OnStartLine(MsrpStartLine startLine)
    {
        Flush();
        Events.Add($"start {(startLine.IsResponse ? "response" : "request")} {L(startLine.TransactionId)} {L(startLine.MethodOrStatus)} | {L(startLine.Line)}");
    }

    public MsrpFramingErrorReason OnHeader(MsrpHeaderLine header)
    {
        Events.Add($"header {L(header.Name)}: {L(header.Value)}");
        return MsrpFramingErrorReason.None;
    }

    public MsrpFramingErrorReason OnBodyStart()
    {
        Events.Add("body-start");
        return MsrpFramingErrorReason.None;
    }

    public void OnBodySlice(ReadOnlySpan<byte> slice) => _body.Append(L(slice));

    public MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine)
    {
        Flush();
        Events.Add($"end {(char)endLine.Flag} {L(endLine.TransactionId)} | {L(endLine.Wire).Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}");
        return MsrpFramingErrorReason.None;
    }

    /// <summary>Appends the body received so far as one event.</summary>
    public void Flush()
    {
        if (_body.Length > 0)
        {
            Events.Add("body " + _body);
            _body.Clear();
        }
    }

    private static string L(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Frames the pieces, one <see cref="MsrpFramer.TryAdvance"/> call per piece, and returns the events and any error.</summary>
    public static (List<string> Events, MsrpFramingError Error) FramePerCall(IEnumerable<ReadOnlyMemory<byte>> pieces, MsrpLimits? limits = null)
    {
        var framer = new MsrpFramer(limits ?? new MsrpLimits());
        var handler = new RecordingHandler();
        foreach (var piece in pieces)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(piece));
            if (!framer.TryAdvance(ref reader, ref handler, out var error))
            {
                handler.Flush();
                return (handler.Events, error);
            }
        }
        handler.Flush();
        return (handler.Events, default);
    }

    /// <summary>Frames one sequence made of the pieces as segments, in a single call.</summary>
    public static (List<string> Events, MsrpFramingError Error) FrameAsSequence(IReadOnlyList<ReadOnlyMemory<byte>> pieces, MsrpLimits? limits = null)
    {
        var framer = new MsrpFramer(limits ?? new MsrpLimits());
        var handler = new RecordingHandler();
        var reader = new SequenceReader<byte>(Segments.Of(pieces));
        framer.TryAdvance(ref reader, ref handler, out var error);
        handler.Flush();
        return (handler.Events, error);
    }
}
