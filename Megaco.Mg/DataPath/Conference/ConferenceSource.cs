using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// Reads one participant's stream, frames it (<see cref="MsrpFramer"/>) and acts as the conference focus's
/// MSRP endpoint towards that participant: each SEND chunk with a body goes to every other participant the
/// topology allows, through its lane, with To-Path and From-Path of that participant's leg and every other
/// byte as sent; the participant gets the transaction responses and success reports itself. Not thread-safe:
/// one source loop per leg.
/// </summary>
internal sealed class ConferenceSource
{
    /// <summary>Most bytes framed before the lanes are flushed: one data path receive (<see cref="DataPathBuilder.MaxReceiveSize"/>).</summary>
    private const int MaxRoundBytes = DataPathBuilder.MaxReceiveSize;

    /// <summary>RFC 4975 §7.1: non-SEND request bodies MUST NOT be larger than 10240 octets.</summary>
    private const int MaxNonSendBody = 10240;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    private readonly MsrpConference _conference;
    private readonly ConferenceLeg _leg;
    private readonly MsrpFramer _framer;
    private readonly int _maxHeaderBlock;
    private readonly int _maxLaneBytes;
    private readonly TimeSpan _stallTimeout;
    private readonly Dictionary<ConferenceLeg, ConferenceLane> _lanes = [];
    private readonly List<ConferenceLane> _chunkLanes = [];
    private readonly HashSet<ConferenceLane> _touched = [];
    private readonly List<ConferenceLane> _ended = [];
    private readonly ConferenceLane _self;
    private CancellationTokenSource? _stall;

    // The message being framed: its start line, path values and the other headers, kept until the body
    // starts (or the message ends) so that each destination gets them with its own paths.
    private readonly ArrayBufferWriter<byte> _startLine = new(256);
    private readonly ArrayBufferWriter<byte> _fromPath = new(256);
    private readonly ArrayBufferWriter<byte> _headers = new(1024);
    private readonly ArrayBufferWriter<byte> _messageId = new(64);
    private int _headerIndex;
    private int _transactionIdLength;
    private bool _isResponse;
    private bool _isSend;
    private bool _isReport;
    private bool _hasBody;
    private bool _failureReportNo;
    private bool _failureReportPartial;
    private bool _successReport;
    private long _rangeStart;
    private long _bodyBytes;

    public ConferenceSource(MsrpConference conference, ConferenceLeg leg, ConferenceLane self, MsrpConferenceOptions options)
    {
        _conference = conference;
        _leg = leg;
        _self = self;
        _framer = new MsrpFramer(options.Msrp);
        _maxHeaderBlock = options.MaxHeaderBlockBytes;
        _maxLaneBytes = options.MaxQueuedBytesPerLane;
        _stallTimeout = options.StallTimeout;
    }

    /// <summary>Runs until the participant's stream ends or the leg is stopped; never throws.</summary>
    public async Task RunAsync()
    {
        var token = _leg.Stop.Token;
        try
        {
            while (true)
            {
                var read = await _leg.Input.ReadAsync(token).ConfigureAwait(false);
                var buffer = read.Buffer;
                // One round at most: the lanes are flushed (and backpressure felt) between rounds.
                long length = Math.Min(buffer.Length, MaxRoundBytes);
                bool all = length == buffer.Length;
                var round = buffer.Slice(0, length);
                var reader = new SequenceReader<byte>(round);
                var handler = new Handler(this);
                bool ok = _framer.TryAdvance(ref reader, ref handler, out var error);
                // The buffer is the pipe's until AdvanceTo and invalid after it: nothing reads it past here.
                _leg.Input.AdvanceTo(round.End);
                Interlocked.Add(ref _leg.OctetsReceived, length);
                if (!ok)
                {
                    _conference.EndLeg(_leg, new MsrpConferenceLegEnd(_leg.Id, MsrpConferenceLegEndReason.FramingError, error));
                    break;
                }
                if (!await FlushAsync(token).ConfigureAwait(false))
                {
                    break;
                }
                if ((read.IsCompleted || read.IsCanceled) && all)
                {
                    _conference.EndLeg(_leg, _framer.IsAtMessageBoundary
                        ? new MsrpConferenceLegEnd(_leg.Id, MsrpConferenceLegEndReason.Closed)
                        : new MsrpConferenceLegEnd(_leg.Id, MsrpConferenceLegEndReason.FramingError,
                            new MsrpFramingError(MsrpFramingErrorReason.Truncated, _framer.StreamOffset)));
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Removed, dropped or disposed: the reason is recorded.
        }
        catch (Exception)
        {
            // The pipe from the participant failed with its connection's error (a reset, typically).
            _conference.EndLeg(_leg, new MsrpConferenceLegEnd(_leg.Id, MsrpConferenceLegEndReason.InputFailed));
        }
        await FinishAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 4975 §7.1: a sender that gives up on a message ends its chunk with <c>#</c>. The participant's
    /// chunks that were under way to others end so, and every lane from it is completed.
    /// </summary>
    private async Task FinishAsync()
    {
        foreach (var lane in _chunkLanes)
        {
            WriteEndLine(lane, (byte)MsrpEndFlag.Aborted, withCrLf: true);
        }
        _chunkLanes.Clear();
        foreach (var lane in _lanes.Values)
        {
            await lane.Pipe.Writer.CompleteAsync().ConfigureAwait(false);
            lane.To.Signal();
        }
        _lanes.Clear();
        await _self.Pipe.Writer.CompleteAsync().ConfigureAwait(false);
        _leg.Signal();
        await _leg.Input.CompleteAsync().ConfigureAwait(false);
        _stall?.Dispose();
    }

    /// <summary>
    /// Flushes every lane written this round. A lane that stays full for the stall timeout drops its
    /// destination; a lane whose destination has gone is forgotten. False when this leg itself stopped.
    /// </summary>
    private async ValueTask<bool> FlushAsync(CancellationToken token)
    {
        foreach (var lane in _chunkLanes)
        {
            _touched.Add(lane);
        }
        foreach (var lane in _touched)
        {
            var writer = lane.Pipe.Writer;
            var pending = writer.FlushAsync(CancellationToken.None);
            // The flush has committed the bytes: wake the destination before waiting for it to drain them.
            lane.To.Signal();
            FlushResult result;
            if (pending.IsCompleted)
            {
                result = pending.GetAwaiter().GetResult();
            }
            else
            {
                _stall ??= new CancellationTokenSource();
                _stall.CancelAfter(_stallTimeout);
                using (_stall.Token.UnsafeRegister(static w => ((PipeWriter)w!).CancelPendingFlush(), writer))
                using (token.UnsafeRegister(static w => ((PipeWriter)w!).CancelPendingFlush(), writer))
                {
                    result = await pending.ConfigureAwait(false);
                }
                bool timedOut = _stall.IsCancellationRequested;
                if (!_stall.TryReset())
                {
                    _stall.Dispose();
                    _stall = null;
                }
                if (token.IsCancellationRequested)
                {
                    _touched.Clear();
                    return false;
                }
                if (result.IsCanceled && timedOut && lane != _self)
                {
                    _conference.EndLeg(lane.To, new MsrpConferenceLegEnd(lane.To.Id, MsrpConferenceLegEndReason.Stalled));
                }
                else if (result.IsCanceled && timedOut)
                {
                    // The participant does not read what the conference answers it.
                    _conference.EndLeg(_leg, new MsrpConferenceLegEnd(_leg.Id, MsrpConferenceLegEndReason.Stalled));
                    _touched.Clear();
                    return false;
                }
            }
            if (result.IsCompleted || lane.To.IsEnded)
            {
                Forget(lane);
            }
        }
        _touched.Clear();
        return true;
    }

    private void Forget(ConferenceLane lane)
    {
        if (lane != _self)
        {
            _lanes.Remove(lane.To);
            _chunkLanes.Remove(lane);
            lane.Pipe.Writer.Complete();
        }
    }

    private void OnStartLine(MsrpStartLine startLine)
    {
        _startLine.ResetWrittenCount();
        _startLine.Write(startLine.Line);
        _transactionIdLength = startLine.TransactionId.Length;
        _fromPath.ResetWrittenCount();
        _headers.ResetWrittenCount();
        _messageId.ResetWrittenCount();
        _headerIndex = 0;
        _isResponse = startLine.IsResponse;
        _isSend = !_isResponse && startLine.MethodOrStatus.SequenceEqual("SEND"u8);
        _isReport = !_isResponse && startLine.MethodOrStatus.SequenceEqual("REPORT"u8);
        _hasBody = false;
        _failureReportNo = false;
        _failureReportPartial = false;
        _successReport = false;
        _rangeStart = 1;
        _bodyBytes = 0;
    }

    private ReadOnlySpan<byte> TransactionId => _startLine.WrittenSpan.Slice("MSRP "u8.Length, _transactionIdLength);

    private MsrpFramingErrorReason OnHeader(MsrpHeaderLine header)
    {
        // RFC 4975 §9: headers = To-Path CRLF From-Path CRLF 1*( header CRLF ). The conference writes its own
        // paths per destination, so it keeps only the sender's From-Path (for the answers) and the rest.
        int index = ++_headerIndex;
        if (index == 1)
        {
            return MsrpHeaderNames.IsToPath(header.Name) ? MsrpFramingErrorReason.None : MsrpFramingErrorReason.PathHeadersMissing;
        }
        if (index == 2)
        {
            if (!MsrpHeaderNames.IsFromPath(header.Name))
            {
                return MsrpFramingErrorReason.PathHeadersMissing;
            }
            _fromPath.Write(header.Value);
            return MsrpFramingErrorReason.None;
        }

        if (_headers.WrittenCount + header.Line.Length + CrLf.Length > _maxHeaderBlock)
        {
            return MsrpFramingErrorReason.HeaderBlockTooLarge;
        }
        _headers.Write(header.Line);
        _headers.Write(CrLf);

        var value = header.Value;
        if (MsrpHeaderNames.IsMessageId(header.Name))
        {
            _messageId.ResetWrittenCount();
            _messageId.Write(value);
        }
        else if (MsrpHeaderNames.IsFailureReport(header.Name))
        {
            // RFC 4975 §7.1.1: "no" asks for no response at all, "partial" for failures only.
            _failureReportNo = Ascii.EqualsIgnoreCase(value.TrimEnd((byte)' '), "no"u8);
            _failureReportPartial = Ascii.EqualsIgnoreCase(value.TrimEnd((byte)' '), "partial"u8);
        }
        else if (MsrpHeaderNames.IsSuccessReport(header.Name))
        {
            _successReport = Ascii.EqualsIgnoreCase(value.TrimEnd((byte)' '), "yes"u8);
        }
        else if (MsrpHeaderNames.IsByteRange(header.Name))
        {
            // RFC 4975 §9: Byte-Range = "Byte-Range:" SP range-start "-" range-end "/" total
            int dash = value.IndexOf((byte)'-');
            if (dash <= 0 || !Utf8Parser.TryParse(value[..dash], out long start, out int used) || used != dash || start < 1)
            {
                return MsrpFramingErrorReason.BadHeaderLine;
            }
            _rangeStart = start;
        }
        return MsrpFramingErrorReason.None;
    }

    private MsrpFramingErrorReason OnBodyStart()
    {
        if (_headerIndex < 2)
        {
            return MsrpFramingErrorReason.PathHeadersMissing;
        }
        _hasBody = true;
        if (_isSend)
        {
            OpenChunk();
        }
        return MsrpFramingErrorReason.None;
    }

    /// <summary>Writes the chunk's start line and headers, with each destination's own paths, into each lane.</summary>
    private void OpenChunk()
    {
        PruneEndedLanes();
        foreach (var destination in _conference.Legs)
        {
            if (destination == _leg || destination.IsEnded || !_conference.Allows(_leg.Id, destination.Id))
            {
                continue;
            }
            if (!_lanes.TryGetValue(destination, out var lane))
            {
                lane = destination.OpenLane(_leg, _maxLaneBytes);
                if (lane is null)
                {
                    continue;
                }
                _lanes.Add(destination, lane);
            }
            lane.Write(_startLine.WrittenSpan);
            lane.Write(CrLf);
            WritePaths(lane, destination.RemotePath, destination.LocalUri);
            lane.Write(_headers.WrittenSpan);
            lane.Write(CrLf);
            lane.InChunk = true;
            _chunkLanes.Add(lane);
            _touched.Add(lane);
        }
    }

    /// <summary>Forgets the lanes to participants that have left, so a long conference with many joins holds none of them.</summary>
    private void PruneEndedLanes()
    {
        foreach (var (destination, lane) in _lanes)
        {
            if (destination.IsEnded)
            {
                _ended.Add(lane);
            }
        }
        foreach (var lane in _ended)
        {
            _touched.Remove(lane);
            Forget(lane);
        }
        _ended.Clear();
    }

    private void OnBodySlice(ReadOnlySpan<byte> slice)
    {
        _bodyBytes += slice.Length;
        foreach (var lane in _chunkLanes)
        {
            lane.Write(slice);
        }
    }

    private MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine)
    {
        if (_headerIndex < 2)
        {
            return MsrpFramingErrorReason.PathHeadersMissing;
        }
        if (_isResponse)
        {
            // Responses answer the conference's own transactions towards this participant, hop by hop
            // (RFC 4975 §5.3, §7.2): they end here.
            return MsrpFramingErrorReason.None;
        }
        if (!_isSend)
        {
            if (_bodyBytes > MaxNonSendBody)
            {
                return MsrpFramingErrorReason.NonSendBodyTooLarge;
            }
            if (!_isReport && !_failureReportNo)
            {
                // RFC 4975 §7.3, §10.9 (501): a request method the receiver does not understand.
                WriteResponse("501 Request method not understood"u8);
            }
            // RFC 4975 §7.1.2: REPORTs get no response; they report on the conference's own transactions.
            return MsrpFramingErrorReason.None;
        }

        bool complete = endLine.Flag == MsrpEndFlag.Complete;
        foreach (var lane in _chunkLanes)
        {
            lane.Write(endLine.Wire);
            lane.EndChunk();
            _touched.Add(lane);
            if (complete)
            {
                Interlocked.Increment(ref lane.To.MessagesSent);
            }
        }
        _chunkLanes.Clear();
        if (complete && _hasBody)
        {
            Interlocked.Increment(ref _leg.MessagesReceived);
        }
        if (!_failureReportNo && !_failureReportPartial)
        {
            WriteResponse("200 OK"u8);
        }
        if (complete && _successReport && _hasBody && _messageId.WrittenCount > 0)
        {
            WriteSuccessReport();
        }
        return MsrpFramingErrorReason.None;
    }

    /// <summary>
    /// RFC 4975 §7.2: the response carries the request's transaction id, goes back one hop to the first URI
    /// of the request's From-Path (its whole From-Path when, as on an MRFP's legs, no relay is in between),
    /// and comes from the URI the request was sent to, the MG's on this leg.
    /// </summary>
    private void WriteResponse(ReadOnlySpan<byte> status)
    {
        var lane = _self;
        lane.Write("MSRP "u8);
        lane.Write(TransactionId);
        lane.Write(" "u8);
        lane.Write(status);
        lane.Write(CrLf);
        var from = _fromPath.WrittenSpan;
        int space = from.IndexOf((byte)' ');
        WritePaths(lane, space < 0 ? from : from[..space], _leg.LocalUri);
        WriteEndLine(lane, (byte)MsrpEndFlag.Complete, withCrLf: false, TransactionId);
    }

    /// <summary>
    /// RFC 4975 §7.1.3: the receiver of a complete message that asked for it (Success-Report: yes) sends a
    /// REPORT with Status 200 over the bytes received, to the sender's From-Path, in a new transaction whose
    /// id has at least 64 bits of randomness (§7.1). The conference is that receiver: it took the message
    /// for every participant (TS 24.247 §9.2.3 lets the MRFP act as MSRP receiver and sender).
    /// </summary>
    private void WriteSuccessReport()
    {
        Span<byte> id = stackalloc byte[16];
        RandomNumberGenerator.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8, id);
        long total = _rangeStart + _bodyBytes - 1;
        var lane = _self;
        lane.Write("MSRP "u8);
        lane.Write(id);
        lane.Write(" REPORT\r\n"u8);
        WritePaths(lane, _fromPath.WrittenSpan, _leg.LocalUri);
        lane.Write("Message-ID: "u8);
        lane.Write(_messageId.WrittenSpan);
        lane.Write("\r\nByte-Range: 1-"u8);
        WriteNumber(lane, total);
        lane.Write("/"u8);
        WriteNumber(lane, total);
        lane.Write("\r\nStatus: 000 200 OK\r\n"u8);
        WriteEndLine(lane, (byte)MsrpEndFlag.Complete, withCrLf: false, id);
    }

    private void WriteEndLine(ConferenceLane lane, byte flag, bool withCrLf) => WriteEndLine(lane, flag, withCrLf, TransactionId);

    private void WriteEndLine(ConferenceLane lane, byte flag, bool withCrLf, ReadOnlySpan<byte> transactionId)
    {
        if (withCrLf)
        {
            lane.Write(CrLf);
        }
        lane.Write("-------"u8);
        lane.Write(transactionId);
        lane.Write([flag]);
        lane.Write(CrLf);
        lane.EndChunk();
        _touched.Add(lane);
    }

    private static void WritePaths(ConferenceLane lane, ReadOnlySpan<byte> toPath, ReadOnlySpan<byte> fromPath)
    {
        lane.Write("To-Path: "u8);
        lane.Write(toPath);
        lane.Write("\r\nFrom-Path: "u8);
        lane.Write(fromPath);
        lane.Write(CrLf);
    }

    private static void WriteNumber(ConferenceLane lane, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out int written);
        lane.Write(digits[..written]);
    }

    private readonly struct Handler(ConferenceSource source) : IMsrpFrameHandler
    {
        public void OnStartLine(MsrpStartLine startLine) => source.OnStartLine(startLine);

        public MsrpFramingErrorReason OnHeader(MsrpHeaderLine header) => source.OnHeader(header);

        public MsrpFramingErrorReason OnBodyStart() => source.OnBodyStart();

        public void OnBodySlice(ReadOnlySpan<byte> slice) => source.OnBodySlice(slice);

        public MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine) => source.OnEndLine(endLine);
    }
}
