// Shaped after the resumable HPACK decoder of dotnet/runtime:
// https://github.com/dotnet/runtime/blob/main/src/libraries/Common/src/System/Net/Http/aspnetcore/Http2/Hpack/HPackDecoder.cs
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// Frames an MSRP byte stream (RFC 4975 §7.1) into start line, headers, body slices and end-line, in any
/// number of input chunks. Everything handed to <see cref="TryAdvance"/> is consumed: a start or header
/// line that straddles chunks is copied into a bounded scratch buffer, and a partly matched end-line is
/// remembered by how much of it has matched. Bodies are never buffered; they pass to the handler as slices
/// of the input. One framer per stream direction; not thread-safe.
/// </summary>
public sealed class MsrpFramer
{
    private enum State : byte
    {
        StartLine,
        Headers,
        Body,
        EndLine,
    }

    private const byte ByteCR = (byte)'\r';
    private const byte ByteLF = (byte)'\n';
    private const byte ByteSP = (byte)' ';
    private const byte ByteHT = (byte)'\t';
    private const byte ByteColon = (byte)':';

    /// <summary>CRLF and seven dashes in front of the transact-id: RFC 4975 §9 <c>data CRLF end-line</c>.</summary>
    private const int EndLineLead = 9;

    private static ReadOnlySpan<byte> MsrpPrefix => "MSRP "u8;

    private static ReadOnlySpan<byte> SevenDashes => "-------"u8;

    // RFC 4975 §9: utf8text = *(HTAB / %x20-7E / UTF8-NONASCII); everything else below 0x20, and DEL, is refused.
    private static readonly SearchValues<byte> s_lineControls = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    // RFC 4975 §9: ident-char = ALPHANUM / "." / "-" / "+" / "%" / "="
    private static readonly SearchValues<byte> s_identChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-+%="u8);

    // RFC 4975 §9: token = 1*(%x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E)
    private static readonly SearchValues<byte> s_tokenChars =
        SearchValues.Create("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private readonly int _maxStartLineLength;
    private readonly int _maxHeaderLineLength;
    private readonly int _maxHeaderCount;
    private readonly int _maxTransactionIdLength;

    // A start or header line that straddles input chunks, with its CRLF; never longer than the limit plus 2.
    private readonly byte[] _lineBuffer;
    private int _lineLength;

    // "\r\n-------" + transact-id + flag + "\r\n": the end-line being looked for in the body; the bytes of a
    // partial match are withheld from the handler and, if the match fails, handed over as body from here.
    private readonly byte[] _endLine;
    private int _endLinePrefixLength;
    private int _endLineMatched;

    private State _state;
    private int _headerCount;
    private long _streamOffset;
    private long _lineOffset;
    private MsrpFramingError _fault;

    public MsrpFramer()
        : this(new MsrpLimits())
    {
    }

    public MsrpFramer(MsrpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _maxStartLineLength = limits.MaxStartLineLength;
        _maxHeaderLineLength = limits.MaxHeaderLineLength;
        _maxHeaderCount = limits.MaxHeaderCount;
        _maxTransactionIdLength = limits.MaxTransactionIdLength;
        _lineBuffer = new byte[Math.Max(_maxStartLineLength, _maxHeaderLineLength) + 2];
        _endLine = new byte[EndLineLead + MsrpLimits.RfcMaxTransactionIdLength + 3];
        "\r\n-------"u8.CopyTo(_endLine);
    }

    /// <summary>True between messages: nothing of a message has been consumed since the last end-line.</summary>
    public bool IsAtMessageBoundary => _state == State.StartLine && _lineLength == 0 && !_fault.IsError;

    /// <summary>Bytes the framer holds on to between calls: a straddling line, or a partly matched end-line.</summary>
    public int BufferedBytes => _lineLength + _endLineMatched;

    /// <summary>Bytes consumed since construction or <see cref="Reset"/>.</summary>
    public long StreamOffset => _streamOffset;

    public void Reset()
    {
        _state = State.StartLine;
        _lineLength = 0;
        _endLineMatched = 0;
        _endLinePrefixLength = 0;
        _headerCount = 0;
        _streamOffset = 0;
        _lineOffset = 0;
        _fault = default;
    }

    /// <summary>
    /// Consumes everything <paramref name="reader"/> holds, reporting to <paramref name="handler"/> as it goes.
    /// Returns false when the stream breaks RFC 4975 or a limit, with the offset of the offending line in
    /// <paramref name="error"/>; the stream cannot be resynchronised, so the framer stays faulted until
    /// <see cref="Reset"/>.
    /// </summary>
    public bool TryAdvance<THandler>(ref SequenceReader<byte> reader, ref THandler handler, out MsrpFramingError error)
        where THandler : struct, IMsrpFrameHandler
    {
        if (_fault.IsError)
        {
            error = _fault;
            return false;
        }

        while (!reader.End)
        {
            long before = reader.Consumed;
            MsrpFramingErrorReason reason = _state switch
            {
                State.StartLine or State.Headers => ParseLine(ref reader, ref handler),
                _ => ParseBody(ref reader, ref handler),
            };
            _streamOffset += reader.Consumed - before;
            if (reason != MsrpFramingErrorReason.None)
            {
                _fault = new MsrpFramingError(reason, _lineOffset);
                error = _fault;
                return false;
            }
        }

        error = default;
        return true;
    }

    private MsrpFramingErrorReason ParseLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        if (_lineLength == 0)
        {
            _lineOffset = _streamOffset;
        }

        // RFC 4975 §9 bounds only the transact-id; the line limits are ours, checked before anything is copied.
        int limit = (_state == State.StartLine ? _maxStartLineLength : _maxHeaderLineLength) + 2;
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        int lf = span.IndexOf(ByteLF);
        if (lf < 0)
        {
            if (_lineLength + span.Length + 1 > limit)
            {
                return LineTooLong();
            }
            span.CopyTo(_lineBuffer.AsSpan(_lineLength));
            _lineLength += span.Length;
            reader.Advance(span.Length);
            return MsrpFramingErrorReason.None;
        }

        int taken = lf + 1;
        if (_lineLength + taken > limit)
        {
            return LineTooLong();
        }

        ReadOnlySpan<byte> line;
        if (_lineLength == 0)
        {
            line = span[..taken];
        }
        else
        {
            span[..taken].CopyTo(_lineBuffer.AsSpan(_lineLength));
            line = _lineBuffer.AsSpan(0, _lineLength + taken);
        }

        MsrpFramingErrorReason reason = ProcessLine(line, ref handler);
        if (reason == MsrpFramingErrorReason.None)
        {
            _lineLength = 0;
            reader.Advance(taken);
        }
        return reason;
    }

    private MsrpFramingErrorReason LineTooLong() => _state == State.StartLine
        ? MsrpFramingErrorReason.StartLineTooLong
        : MsrpFramingErrorReason.HeaderLineTooLong;

    private MsrpFramingErrorReason ProcessLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        // RFC 4975 §9: every start line, header and end-line ends in CRLF.
        if (line.Length < 2 || line[^2] != ByteCR)
        {
            return MsrpFramingErrorReason.MissingCrlf;
        }

        ReadOnlySpan<byte> content = line[..^2];
        int control = content.IndexOfAny(s_lineControls);
        if (control >= 0)
        {
            return content[control] switch
            {
                0 => MsrpFramingErrorReason.NulByte,
                ByteCR or ByteLF => MsrpFramingErrorReason.MissingCrlf,
                _ => MsrpFramingErrorReason.ControlCharacter,
            };
        }

        if (_state == State.StartLine)
        {
            return ParseStartLine(content, ref handler);
        }

        // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF
        if (content.IsEmpty)
        {
            _state = State.Body;
            _endLineMatched = 0;
            return handler.OnBodyStart();
        }

        // RFC 4975 §7.1: a message without a body ends with the end-line straight after the headers.
        if (content.StartsWith(SevenDashes))
        {
            return ParseBodylessEndLine(content, ref handler);
        }

        return ParseHeader(content, ref handler);
    }

    private MsrpFramingErrorReason ParseStartLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        // RFC 4975 §9: req-start = pMSRP SP transact-id SP method CRLF; pMSRP = %x4D.53.52.50 ("MSRP" in caps)
        if (!line.StartsWith(MsrpPrefix))
        {
            return MsrpFramingErrorReason.BadStartLine;
        }

        ReadOnlySpan<byte> rest = line[MsrpPrefix.Length..];
        int space = rest.IndexOf(ByteSP);
        if (space < 0)
        {
            return MsrpFramingErrorReason.BadStartLine;
        }

        // RFC 4975 §9: transact-id = ident; ident = ALPHANUM 3*31ident-char
        ReadOnlySpan<byte> transactionId = rest[..space];
        if (transactionId.Length > _maxTransactionIdLength)
        {
            return MsrpFramingErrorReason.TransactionIdTooLong;
        }
        if (transactionId.Length < MsrpLimits.RfcMinTransactionIdLength
            || !char.IsAsciiLetterOrDigit((char)transactionId[0])
            || transactionId.ContainsAnyExcept(s_identChars))
        {
            return MsrpFramingErrorReason.InvalidTransactionId;
        }

        ReadOnlySpan<byte> tail = rest[(space + 1)..];
        bool isResponse;
        ReadOnlySpan<byte> methodOrStatus;
        if (tail.Length >= 3 && IsDigit(tail[0]) && IsDigit(tail[1]) && IsDigit(tail[2]) && (tail.Length == 3 || tail[3] == ByteSP))
        {
            // RFC 4975 §9: resp-line = pMSRP SP transact-id SP status-code [SP comment] CRLF
            isResponse = true;
            methodOrStatus = tail[..3];
        }
        else if (!tail.IsEmpty && !tail.ContainsAnyExceptInRange((byte)'A', (byte)'Z'))
        {
            // RFC 4975 §9: method = mSEND / mREPORT / other-method; other-method = 1*UPALPHA
            isResponse = false;
            methodOrStatus = tail;
        }
        else
        {
            return MsrpFramingErrorReason.BadStartLine;
        }

        transactionId.CopyTo(_endLine.AsSpan(EndLineLead));
        _endLinePrefixLength = EndLineLead + transactionId.Length;
        _endLine[_endLinePrefixLength + 1] = ByteCR;
        _endLine[_endLinePrefixLength + 2] = ByteLF;
        _headerCount = 0;
        _state = State.Headers;
        handler.OnStartLine(new MsrpStartLine(line, transactionId, isResponse, methodOrStatus));
        return MsrpFramingErrorReason.None;
    }

    private MsrpFramingErrorReason ParseHeader<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        if (++_headerCount > _maxHeaderCount)
        {
            return MsrpFramingErrorReason.TooManyHeaders;
        }

        // RFC 4975 §9: ext-header = hname ":" hval; hname = ALPHA *token
        int colon = line.IndexOf(ByteColon);
        if (colon <= 0 || !char.IsAsciiLetter((char)line[0]) || line[..colon].ContainsAnyExcept(s_tokenChars))
        {
            return MsrpFramingErrorReason.BadHeaderLine;
        }

        int valueStart = colon + 1;
        while (valueStart < line.Length && (line[valueStart] == ByteSP || line[valueStart] == ByteHT))
        {
            valueStart++;
        }

        return handler.OnHeader(new MsrpHeaderLine(line, colon, valueStart));
    }

    private MsrpFramingErrorReason ParseBodylessEndLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        // RFC 4975 §9: end-line = "-------" transact-id continuation-flag CRLF, with this message's transact-id.
        ReadOnlySpan<byte> expected = _endLine.AsSpan(2, _endLinePrefixLength - 2);
        if (line.Length != expected.Length + 1 || !line.StartsWith(expected) || !IsFlag(line[^1]))
        {
            return MsrpFramingErrorReason.BadEndLine;
        }

        _endLine[_endLinePrefixLength] = line[^1];
        return CompleteMessage(ref handler, _endLine.AsSpan(2, _endLinePrefixLength + 1));
    }

    private MsrpFramingErrorReason ParseBody<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IMsrpFrameHandler
    {
        // RFC 4975 §7.1: the body ends at CRLF "-------" transact-id flag CRLF; the sender picks a transact-id
        // that does not occur in the body, so the first such sequence ends it, whatever the body holds.
        int endLineLength = _endLinePrefixLength + 3;
        while (!reader.End)
        {
            if (_endLineMatched > 0)
            {
                MsrpFramingErrorReason matched = MatchOneByte(ref reader, ref handler, endLineLength);
                if (matched != MsrpFramingErrorReason.None || _state == State.StartLine)
                {
                    return matched;
                }
                continue;
            }

            ReadOnlySpan<byte> span = reader.UnreadSpan;
            int searchFrom = 0;
            while (true)
            {
                int cr = span[searchFrom..].IndexOf(ByteCR);
                if (cr < 0)
                {
                    handler.OnBodySlice(span);
                    reader.Advance(span.Length);
                    break;
                }

                cr += searchFrom;
                ReadOnlySpan<byte> candidate = span[cr..];
                if (candidate.Length < endLineLength)
                {
                    // A possible end-line runs past this segment: hand over the body before it and match bytewise.
                    if (cr > 0)
                    {
                        handler.OnBodySlice(span[..cr]);
                    }
                    reader.Advance(cr);
                    MsrpFramingErrorReason started = MatchOneByte(ref reader, ref handler, endLineLength);
                    if (started != MsrpFramingErrorReason.None)
                    {
                        return started;
                    }
                    break;
                }

                if (IsEndLine(candidate))
                {
                    if (cr > 0)
                    {
                        handler.OnBodySlice(span[..cr]);
                    }
                    _endLine[_endLinePrefixLength] = candidate[_endLinePrefixLength];
                    reader.Advance(cr + endLineLength);
                    return CompleteMessage(ref handler, _endLine.AsSpan(0, endLineLength));
                }

                searchFrom = cr + 1;
            }
        }
        return MsrpFramingErrorReason.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsEndLine(ReadOnlySpan<byte> candidate)
    {
        int prefix = _endLinePrefixLength;
        return candidate.StartsWith(_endLine.AsSpan(0, prefix))
            && IsFlag(candidate[prefix])
            && candidate[prefix + 1] == ByteCR
            && candidate[prefix + 2] == ByteLF;
    }

    /// <summary>Feeds one byte to the end-line match that is under way or starting at a CR.</summary>
    private MsrpFramingErrorReason MatchOneByte<THandler>(ref SequenceReader<byte> reader, ref THandler handler, int endLineLength)
        where THandler : struct, IMsrpFrameHandler
    {
        reader.TryPeek(out byte next);
        int matched = _endLineMatched;
        bool accepted = matched == _endLinePrefixLength ? IsFlag(next) : next == _endLine[matched];
        if (!accepted)
        {
            // The pattern's only CR-LF pair is at its start, so no suffix of a failed match can begin another:
            // the withheld bytes are body, and the current byte is looked at afresh.
            handler.OnBodySlice(_endLine.AsSpan(0, matched));
            _endLineMatched = 0;
            _state = State.Body;
            return MsrpFramingErrorReason.None;
        }

        if (matched == _endLinePrefixLength)
        {
            _endLine[matched] = next;
        }
        reader.Advance(1);
        _endLineMatched = matched + 1;
        _state = State.EndLine;
        return _endLineMatched == endLineLength
            ? CompleteMessage(ref handler, _endLine.AsSpan(0, endLineLength))
            : MsrpFramingErrorReason.None;
    }

    private MsrpFramingErrorReason CompleteMessage<THandler>(ref THandler handler, ReadOnlySpan<byte> wire)
        where THandler : struct, IMsrpFrameHandler
    {
        _endLineMatched = 0;
        _state = State.StartLine;
        return handler.OnEndLine(new MsrpEndLine(
            (MsrpEndFlag)_endLine[_endLinePrefixLength],
            _endLine.AsSpan(EndLineLead, _endLinePrefixLength - EndLineLead),
            wire));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    // RFC 4975 §9: continuation-flag = "+" / "$" / "#"
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFlag(byte b) => b is (byte)'$' or (byte)'+' or (byte)'#';
}
