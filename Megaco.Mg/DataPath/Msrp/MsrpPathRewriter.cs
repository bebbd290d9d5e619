using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// The MSRP-aware (B2BUA) relay step for one direction: frames the stream with <see cref="MsrpFramer"/>
/// and writes it back out with the URIs of To-Path and From-Path replaced per <see cref="MsrpPathMapping"/>.
/// Every other byte (start lines, other headers, bodies, end-lines, REPORTs, responses) is copied as it
/// came; bodies stream through slice by slice. With an empty mapping the output is the input.
/// </summary>
public sealed class MsrpPathRewriter
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    private readonly MsrpFramer _framer;
    private readonly MsrpPathMapping _mapping;
    private readonly int _maxHeaderLineLength;

    // Header lines seen in the current message, across calls: the first two must be To-Path and From-Path.
    private int _headerIndex;

    public MsrpPathRewriter(MsrpPathMapping mapping)
        : this(mapping, new MsrpLimits())
    {
    }

    public MsrpPathRewriter(MsrpPathMapping mapping, MsrpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(limits);
        _mapping = mapping;
        _maxHeaderLineLength = limits.MaxHeaderLineLength;
        _framer = new MsrpFramer(limits);
    }

    /// <summary>The framer underneath, for its state and buffered-byte count.</summary>
    public MsrpFramer Framer => _framer;

    /// <summary>Rewrites everything <paramref name="input"/> holds into <paramref name="output"/>; false on a framing error.</summary>
    public bool TryRewrite(ref SequenceReader<byte> input, IBufferWriter<byte> output, out MsrpFramingError error)
    {
        var handler = new Handler(this, output);
        return _framer.TryAdvance(ref input, ref handler, out error);
    }

    /// <summary>
    /// Runs until <paramref name="input"/> completes, the output's reader stops, or the stream breaks MSRP.
    /// Completes both pipes. Returns the framing error, or <c>default</c> after a clean end between messages.
    /// </summary>
    public async Task<MsrpFramingError> RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            return await PumpAsync(input, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> without completing the pipes, so that a caller can complete them with an error
    /// (a data path stage fails the path that way). A message cut short by the end of the input is
    /// <see cref="MsrpFramingErrorReason.Truncated"/>.
    /// </summary>
    public async Task<MsrpFramingError> PumpAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (true)
        {
            ReadResult read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (!RewriteBuffer(buffer, output, out MsrpFramingError error, out SequencePosition consumed))
            {
                input.AdvanceTo(consumed, buffer.End);
                return error;
            }
            input.AdvanceTo(buffer.End);

            FlushResult flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                return default;
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                return _framer.IsAtMessageBoundary
                    ? default
                    : new MsrpFramingError(MsrpFramingErrorReason.Truncated, _framer.StreamOffset);
            }
        }
    }

    private bool RewriteBuffer(ReadOnlySequence<byte> buffer, PipeWriter output, out MsrpFramingError error, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        bool ok = TryRewrite(ref reader, output, out error);
        consumed = reader.Position;
        return ok;
    }

    private readonly struct Handler : IMsrpFrameHandler
    {
        private readonly MsrpPathRewriter _owner;
        private readonly IBufferWriter<byte> _output;
        private readonly MsrpPathMapping _mapping;
        private readonly int _maxHeaderLineLength;

        public Handler(MsrpPathRewriter owner, IBufferWriter<byte> output)
        {
            _owner = owner;
            _output = output;
            _mapping = owner._mapping;
            _maxHeaderLineLength = owner._maxHeaderLineLength;
        }

        public void OnStartLine(MsrpStartLine startLine)
        {
            _owner._headerIndex = 0;
            WriteLine(startLine.Line);
        }

        public MsrpFramingErrorReason OnHeader(MsrpHeaderLine header)
        {
            // RFC 4975 §9: To-Path = "To-Path:" SP MSRP-URI *( SP MSRP-URI ), and the same for From-Path;
            // RFC 5234 §2.3: quoted ABNF strings are case-insensitive.
            if (_mapping.IsEmpty)
            {
                WriteLine(header.Line);
                return MsrpFramingErrorReason.None;
            }

            // RFC 4975 §9: headers = To-Path CRLF From-Path CRLF 1*( header CRLF ): the two paths come first,
            // in that order, in requests and responses alike.
            int index = ++_owner._headerIndex;
            if ((index == 1 && !MsrpHeaderNames.IsToPath(header.Name)) || (index == 2 && !MsrpHeaderNames.IsFromPath(header.Name)))
            {
                return MsrpFramingErrorReason.PathHeadersMissing;
            }
            if (!MsrpHeaderNames.IsPath(header.Name))
            {
                WriteLine(header.Line);
                return MsrpFramingErrorReason.None;
            }
            return RewritePath(header);
        }

        public MsrpFramingErrorReason OnBodyStart()
        {
            if (!_mapping.IsEmpty && _owner._headerIndex < 2)
            {
                return MsrpFramingErrorReason.PathHeadersMissing;
            }
            _output.Write(CrLf);
            return MsrpFramingErrorReason.None;
        }

        public void OnBodySlice(ReadOnlySpan<byte> slice) => _output.Write(slice);

        public MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine)
        {
            if (!_mapping.IsEmpty && _owner._headerIndex < 2)
            {
                return MsrpFramingErrorReason.PathHeadersMissing;
            }
            _output.Write(endLine.Wire);
            return MsrpFramingErrorReason.None;
        }

        private MsrpFramingErrorReason RewritePath(MsrpHeaderLine header)
        {
            ReadOnlySpan<byte> value = header.Value;
            int length = header.ValueStart;
            for (ReadOnlySpan<byte> rest = value; !rest.IsEmpty;)
            {
                int uriLength = NextUri(rest, out int separator);
                ReadOnlySpan<byte> uri = rest[..uriLength];
                length += (_mapping.TryMap(uri, out ReadOnlySpan<byte> replacement) ? replacement.Length : uriLength) + separator;
                rest = rest[(uriLength + separator)..];
            }

            // The rewritten line is held to the same bound as a received one.
            if (length > _maxHeaderLineLength)
            {
                return MsrpFramingErrorReason.RewrittenHeaderTooLong;
            }

            Span<byte> destination = _output.GetSpan(length + CrLf.Length);
            header.Line[..header.ValueStart].CopyTo(destination);
            int written = header.ValueStart;
            for (ReadOnlySpan<byte> rest = value; !rest.IsEmpty;)
            {
                int uriLength = NextUri(rest, out int separator);
                ReadOnlySpan<byte> uri = rest[..uriLength];
                ReadOnlySpan<byte> text = _mapping.TryMap(uri, out ReadOnlySpan<byte> replacement) ? replacement : uri;
                text.CopyTo(destination[written..]);
                written += text.Length;
                rest[uriLength..(uriLength + separator)].CopyTo(destination[written..]);
                written += separator;
                rest = rest[(uriLength + separator)..];
            }
            CrLf.CopyTo(destination[written..]);
            _output.Advance(written + CrLf.Length);
            return MsrpFramingErrorReason.None;
        }

        /// <summary>The length of the URI at the start of <paramref name="rest"/>, and of the spaces after it.</summary>
        private static int NextUri(ReadOnlySpan<byte> rest, out int separator)
        {
            int uriLength = rest.IndexOfAny((byte)' ', (byte)'\t');
            if (uriLength < 0)
            {
                separator = 0;
                return rest.Length;
            }
            int after = rest[uriLength..].IndexOfAnyExcept((byte)' ', (byte)'\t');
            separator = after < 0 ? rest.Length - uriLength : after;
            return uriLength;
        }

        private void WriteLine(ReadOnlySpan<byte> line)
        {
            Span<byte> destination = _output.GetSpan(line.Length + CrLf.Length);
            line.CopyTo(destination);
            CrLf.CopyTo(destination[line.Length..]);
            _output.Advance(line.Length + CrLf.Length);
        }
    }
}
