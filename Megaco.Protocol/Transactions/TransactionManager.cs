using System.Threading.Channels;
using Megaco.Protocol.Diagnostics;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// The H.248 transaction layer over one <see cref="IMegacoTransport"/> (H.248.1 clause 8 and Annex D):
/// sends requests and matches replies per peer, retransmits over UDP on the <see cref="RetransmitSchedule"/>,
/// switches to the long timer on TransactionPending, executes each received request at most once through
/// the <see cref="IMegacoUser"/>, sends Pending when execution outlasts the provisional response time,
/// answers duplicates from the <see cref="ReplyCache"/>, batches TransactionResponseAcks into ranges, and
/// answers unreadable input with the errors of <see cref="ErrorReplies"/>. With one worker received messages are
/// decoded on the receiving thread; with more they go through a bounded channel to the workers; all timing comes
/// from the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class TransactionManager : IAsyncDisposable
{
    private readonly IMegacoTransport _transport;
    private readonly IMegacoUser _user;
    private readonly TransactionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MegacoTextReader _reader;
    private readonly Lock _gate = new();
    private readonly TransactionIdGenerator _ids;
    private readonly Dictionary<uint, OutgoingTransaction> _outgoing = [];
    private readonly ReplyCache _replies;
    private readonly Dictionary<MegacoEndpoint, AckBatch> _acks = [];
    private readonly Channel<ReceivedMessage> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _sweepTimer;
    private Task _running = Task.CompletedTask;
    private int _started;
    private long _messagesProcessed;
    private readonly OutboundBatch _batch;
    private readonly Action<MegacoEndpoint, ReadOnlyMemory<byte>> _sendNow;
    // The managed thread id of the receive loop while it processes a message (0 otherwise): sends from it are batched.
    private int _batchingThread;

    public TransactionManager(IMegacoTransport transport, IMegacoUser user, TransactionOptions options,
        TimeProvider? timeProvider = null, ILogger<TransactionManager>? logger = null, uint firstTransactionId = 1)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _user = user;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _reader = new MegacoTextReader(options.Limits);
        _ids = new TransactionIdGenerator(firstTransactionId);
        _replies = new ReplyCache(_time, options.ReplyHoldTime);
        _batch = new OutboundBatch(transport.MaxPduSize);
        _sendNow = (peer, message) => _ = SendAsync(peer, message);
        _inbound = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(options.MaxQueuedMessages)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var sweepPeriod = TimeSpan.FromTicks(Math.Clamp(options.ReplyHoldTime.Ticks / 4, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond));
        _sweepTimer = _time.CreateTimer(static state => ((TransactionManager)state!).Sweep(), this, sweepPeriod, sweepPeriod);
        _transport.ConnectionLost += OnConnectionLost;
    }

    public IMegacoTransport Transport => _transport;

    /// <summary>Requests sent and not yet answered.</summary>
    public int OutstandingRequests
    {
        get
        {
            lock (_gate)
            {
                return _outgoing.Count;
            }
        }
    }

    /// <summary>Received requests executing or whose replies are kept.</summary>
    public int CachedReplies
    {
        get
        {
            lock (_gate)
            {
                return _replies.Live;
            }
        }
    }

    /// <summary>Messages taken from the transport and fully processed, their immediate answers handed to the transport
    /// (for tests that must wait for an input to land).</summary>
    internal long MessagesProcessed => Interlocked.Read(ref _messagesProcessed);

    /// <summary>Starts receiving. Call once.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("already started");
        }
        var token = _stopping.Token;
        var loops = new List<Task> { Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None) };
        for (var i = 0; _options.Workers > 1 && i < _options.Workers; i++)
        {
            loops.Add(Task.Run(() => WorkerLoopAsync(token), CancellationToken.None));
        }
        _running = Task.WhenAll(loops);
    }

    /// <summary>
    /// Sends one transaction request to <paramref name="peer"/> and completes with its reply or the reason there
    /// is none. Cancelling the token abandons the request locally (the peer may still execute it).
    /// </summary>
    public Task<TransactionResult> SendRequestAsync(MegacoEndpoint peer, ValueList<ActionRequest> actions, CancellationToken cancellationToken = default) =>
        SendRequestAsync(peer, _options.Version, actions, cancellationToken);

    /// <summary>As <see cref="SendRequestAsync(MegacoEndpoint, ValueList{ActionRequest}, CancellationToken)"/>, in the
    /// protocol version negotiated with that peer (H.248.1 §11.3) rather than the configured one.</summary>
    public Task<TransactionResult> SendRequestAsync(MegacoEndpoint peer, int version, ValueList<ActionRequest> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, 3);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        OutgoingTransaction transaction;
        byte[] first;
        lock (_gate)
        {
            var id = _ids.Allocate();
            var request = new TransactionRequest(id, actions);
            transaction = new OutgoingTransaction(id, peer, Encode(version, [request]));
            if (transaction.Encoded.Length > _transport.MaxPduSize)
            {
                // v3 segmentation applies to replies only; a request must fit (H.248.1 Annex D.1).
                _ids.Release(id);
                return Task.FromResult(new TransactionResult(id, null, TransactionFailure.SendFailed));
            }
            _outgoing.Add(id, transaction);
            MegacoMetrics.Outstanding.Add(1);
            // H.248.1 Annex D.1.1: pending acks for this peer ride on the request.
            first = TakeAcks(peer) is { } ack ? Encode(version, [ack, request]) : transaction.Encoded;
            if (first.Length > _transport.MaxPduSize)
            {
                first = transaction.Encoded;
            }
            transaction.CurrentWait = _options.RequestTimer.InitialWait;
            transaction.Timer = _time.CreateTimer(OnRequestTimer, transaction, transaction.CurrentWait, Timeout.InfiniteTimeSpan);
        }
        if (cancellationToken.CanBeCanceled)
        {
            transaction.Cancellation = cancellationToken.Register(static (state, token) =>
            {
                var (manager, tx) = ((TransactionManager, OutgoingTransaction))state!;
                lock (manager._gate)
                {
                    if (!manager.Finish(tx))
                    {
                        return;
                    }
                }
                tx.Completion.TrySetCanceled(token);
            }, (this, transaction));
        }
        _ = SendRequestBytesAsync(transaction, first);
        return transaction.Completion.Task;
    }

    private async Task SendRequestBytesAsync(OutgoingTransaction transaction, byte[] bytes)
    {
        try
        {
            await _transport.SendAsync(transaction.Peer, bytes, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MegacoTransportException or OperationCanceledException or ObjectDisposedException)
        {
            LogSendFailed(transaction.Peer, e.Message);
            // Over UDP a lost first send is what retransmission is for; over TCP nothing will resend it.
            if (_transport.IsReliable)
            {
                Fail(transaction, TransactionFailure.SendFailed);
            }
        }
    }

    private void OnRequestTimer(object? state)
    {
        var transaction = (OutgoingTransaction)state!;
        bool resend;
        lock (_gate)
        {
            if (transaction.Done)
            {
                return;
            }
            if (transaction.Retransmissions >= _options.RequestTimer.MaxRetries || (transaction.PendingsReceived > 0 && !_options.LongRequestResend))
            {
                // H.248.1 Annex D.1.2: abandon after the last retransmission's wait, or the long timer after Pending.
                resend = false;
            }
            else
            {
                transaction.Retransmissions++;
                if (transaction.PendingsReceived > 0)
                {
                    // Erlang long_request_resend: the final reply may have been lost; ask again and keep to the long timer.
                    transaction.Timer!.Change(_options.LongRequestTimer, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    transaction.CurrentWait = _options.RequestTimer.Next(transaction.CurrentWait);
                    transaction.Timer!.Change(transaction.CurrentWait, Timeout.InfiniteTimeSpan);
                }
                resend = true;
            }
        }
        if (!resend)
        {
            LogRequestTimedOut(transaction.Peer, transaction.Id);
            Fail(transaction, TransactionFailure.Timeout);
        }
        else if (!_transport.IsReliable)
        {
            // H.248.1 Annex D.1.2: the same TransactionId and the same content.
            LogResending(transaction.Peer, transaction.Id, transaction.Retransmissions);
            MegacoMetrics.Resent.Add(1);
            _ = SendRequestBytesAsync(transaction, transaction.Encoded);
        }
    }

    private void Fail(OutgoingTransaction transaction, TransactionFailure failure)
    {
        lock (_gate)
        {
            if (!Finish(transaction))
            {
                return;
            }
        }
        MegacoMetrics.Failed.Add(1, new KeyValuePair<string, object?>("megaco.failure", failure.ToString()));
        transaction.Completion.TrySetResult(new TransactionResult(transaction.Id, null, failure, transaction.PendingsReceived, transaction.Retransmissions));
    }

    /// <summary>Marks the request done and releases its id and timer; false when it already was. Under the lock.</summary>
    private bool Finish(OutgoingTransaction transaction)
    {
        if (transaction.Done)
        {
            return false;
        }
        transaction.Done = true;
        _outgoing.Remove(transaction.Id);
        MegacoMetrics.Outstanding.Add(-1);
        _ids.Release(transaction.Id);
        transaction.Timer?.Dispose();
        transaction.SegmentTimer?.Dispose();
        transaction.Cancellation.Unregister();
        return true;
    }

    private void OnSegmentTimer(object? state)
    {
        var transaction = (OutgoingTransaction)state!;
        string missing;
        lock (_gate)
        {
            if (transaction.Done)
            {
                return;
            }
            missing = string.Join(",", transaction.MissingSegments()) is { Length: > 0 } numbers ? numbers : $"after {transaction.SegmentsReceived}";
        }
        LogSegmentsMissing(transaction.Peer, transaction.Id, missing);
        Fail(transaction, TransactionFailure.SegmentsMissing);
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // Messages processed on this loop whose answers are still held in the batch.
        var held = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ReceivedMessage received;
                try
                {
                    var next = _transport.ReceiveAsync(cancellationToken);
                    if (!next.IsCompleted)
                    {
                        // The input that was ready together is drained: what it produced goes now, merged.
                        FlushBatch(ref held);
                    }
                    received = await next.ConfigureAwait(false);
                }
                catch (Exception e) when (e is MegacoTransportException or System.Net.Sockets.SocketException)
                {
                    LogReceiveFailed(e.Message);
                    continue;
                }
                if (_options.Workers > 1)
                {
                    await _inbound.Writer.WriteAsync(received, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                // One worker: decode on the receiving thread, saving a hand-over (and a thread wake-up) per message,
                // and hold what it answers until the ready input is drained.
                Volatile.Write(ref _batchingThread, Environment.CurrentManagedThreadId);
                try
                {
                    ProcessSafely(received);
                }
                finally
                {
                    Volatile.Write(ref _batchingThread, 0);
                }
                held++;
                if (_batch.Count >= OutboundBatch.MaxMessages)
                {
                    FlushBatch(ref held);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or ChannelClosedException)
        {
            // Stopping, or the transport was closed under us.
        }
        finally
        {
            FlushBatch(ref held);
            _inbound.Writer.TryComplete();
        }
    }

    /// <summary>Sends the held answers, then counts their messages as processed.</summary>
    private void FlushBatch(ref int held)
    {
        if (_batch.Count > 0)
        {
            _batch.Drain(_sendNow);
        }
        if (held > 0)
        {
            Interlocked.Add(ref _messagesProcessed, held);
            held = 0;
        }
    }

    private async Task WorkerLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _inbound.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_inbound.Reader.TryRead(out var received))
                {
                    ProcessSafely(received);
                    Interlocked.Increment(ref _messagesProcessed);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ProcessSafely(ReceivedMessage received)
    {
        try
        {
            Process(received);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One bad message never stops the worker (issue 4: garbage is answered, never a crash).
            LogProcessingFailed(received.Peer, e);
        }
    }

    private void Process(ReceivedMessage received)
    {
        var peer = received.Peer;
        var result = _reader.Read(received.Message.Span);
        var message = result.Message;
        if (!result.IsSuccess)
        {
            var fault = result.FirstError!;
            LogSyntaxError(peer, (int)fault.Code, fault.Line, fault.Column, fault.Reason);
            MegacoMetrics.CodecErrors.Add(1, new KeyValuePair<string, object?>("h248.error_code", (int)fault.Code));
            // A message the reader refused is answered in its sender's version when the header names one we speak.
            var version = message?.Version ?? (VersionSniffer.Sniff(received.Message.Span) is { Version: >= 1 and <= 3 } header ? header.Version : 1);
            if (ErrorReplies.ForReadResult(result, version, _options.MId) is { } answer)
            {
                // Unbatched: the answer may be a message-level errorDescriptor.
                _ = SendAsync(peer, Encode(answer));
            }
            RaiseEvent(new MegacoEvent(MegacoEventKind.SyntaxError, peer, fault.ToString()));
        }
        if (message is null)
        {
            return;
        }
        if (message.Error is { } refused)
        {
            LogMessageRefused(peer, refused.Code, refused.Text);
            RaiseEvent(new MegacoEvent(MegacoEventKind.MessageRefused, peer, $"{refused.Code} {refused.Text}"));
        }
        foreach (var transaction in message.Transactions)
        {
            switch (transaction)
            {
                case TransactionRequest request:
                    OnRequest(peer, message, request);
                    break;
                case TransactionReply reply:
                    OnReply(peer, message.Version, reply);
                    break;
                case TransactionPending pending:
                    OnPending(peer, pending);
                    break;
                case TransactionResponseAck ack:
                    lock (_gate)
                    {
                        _replies.Acknowledge(peer, ack.Acks);
                    }
                    break;
                case SegmentReply segment:
                    // Segments are not resent one by one: a lost one is recovered by the request's retransmission.
                    LogSegmentIgnored(peer, segment.TransactionId);
                    break;
            }
        }
    }

    private void OnReply(MegacoEndpoint peer, int version, TransactionReply reply)
    {
        OutgoingTransaction? transaction;
        byte[]? ackMessage = null;
        byte[]? segmentReply = null;
        var complete = reply;
        lock (_gate)
        {
            if (!_outgoing.TryGetValue(reply.TransactionId, out transaction) || !transaction.Peer.Equals(peer))
            {
                // A duplicate reply (ours crossed a retransmission) or a stray one: nothing waits for it, but it still wants its ack.
                transaction = null;
            }
            if (reply.SegmentNumber is { } segment)
            {
                // H.248.1 v3: each segment received is confirmed with a SegmentReply. A missing segment is recovered by
                // the request's own retransmission, which the peer answers from its reply cache with every segment.
                segmentReply = Encode(version, [new SegmentReply(reply.TransactionId, segment, reply.SegmentationComplete)]);
                var before = transaction?.SegmentsReceived ?? 0;
                complete = transaction?.AddSegment(reply);
                if (transaction is not null && complete is null && transaction.SegmentsReceived > before)
                {
                    // The segmentation timer runs from each new segment while any is missing.
                    transaction.SegmentTimer ??= _time.CreateTimer(OnSegmentTimer, transaction, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    transaction.SegmentTimer.Change(_options.SegmentReceiveTimer, Timeout.InfiniteTimeSpan);
                }
            }
            if (transaction is not null && complete is not null)
            {
                Finish(transaction);
            }
            // H.248.1 Annex D.2: over TCP acks are not needed, unless the peer asks for one.
            var ackNow = complete?.ImmAckRequired ?? false;
            if ((complete is not null || transaction is null) && (!_transport.IsReliable || ackNow))
            {
                ackMessage = QueueAck(peer, reply.TransactionId, ackNow);
            }
        }
        if (segmentReply is not null)
        {
            Send(peer, segmentReply);
        }
        if (ackMessage is not null)
        {
            Send(peer, ackMessage);
        }
        if (transaction is not null && complete is not null)
        {
            transaction.Completion.TrySetResult(new TransactionResult(reply.TransactionId, complete, TransactionFailure.None, transaction.PendingsReceived, transaction.Retransmissions));
        }
    }

    private void OnPending(MegacoEndpoint peer, TransactionPending pending)
    {
        OutgoingTransaction? exceeded = null;
        lock (_gate)
        {
            // A Pending after the reply, or for a request we do not know, is ignored (H.248.1 §8.2.3).
            if (!_outgoing.TryGetValue(pending.TransactionId, out var transaction) || !transaction.Peer.Equals(peer))
            {
                return;
            }
            transaction.PendingsReceived++;
            if (_options.ReceivedPendingLimit is { } limit && transaction.PendingsReceived > limit)
            {
                exceeded = transaction;
            }
            else
            {
                // H.248.1 Annex D.1.3: stop retransmitting and wait on the long timer, restarted by each Pending.
                transaction.Timer!.Change(_options.LongRequestTimer, Timeout.InfiniteTimeSpan);
            }
        }
        if (exceeded is not null)
        {
            LogPendingLimitExceeded(peer, exceeded.Id, exceeded.PendingsReceived);
            Fail(exceeded, TransactionFailure.PendingLimitExceeded);
        }
    }

    private void OnRequest(MegacoEndpoint peer, MegacoMessage message, TransactionRequest request)
    {
        ReplyCacheEntry entry;
        ReadOnlyMemory<byte>[] answer = [];
        lock (_gate)
        {
            switch (_replies.Begin(peer, request.TransactionId, message.Version, out entry))
            {
                case ReplyState.Replied:
                    // H.248.1 Annex D.1.1: a duplicate of an answered request gets the stored reply, never a second execution.
                    answer = entry.Reply;
                    break;
                case ReplyState.Acknowledged:
                    // The peer has the reply already: this copy was in the network when its ack was sent.
                    LogDuplicateRequest(peer, request.TransactionId);
                    return;
                case ReplyState.Executing:
                    // H.248.1 Annex D.1.1: a duplicate of a request still executing gets a Pending.
                    answer = [Encode(entry.Version, [new TransactionPending(request.TransactionId)])];
                    break;
                default:
                    entry.Execution = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    entry.PendingTimer = _time.CreateTimer(OnProvisionalTimer, entry, _options.ProvisionalResponseTime, Timeout.InfiniteTimeSpan);
                    break;
            }
        }
        if (answer.Length > 0)
        {
            LogDuplicateRequest(peer, request.TransactionId);
            MegacoMetrics.Duplicates.Add(1);
            foreach (var stored in answer)
            {
                Send(peer, stored);
            }
            return;
        }
        MegacoMetrics.Executed.Add(1);
        _ = ExecuteAsync(entry, new IncomingRequest(peer, message.MId, message.Version, request));
    }

    private async Task ExecuteAsync(ReplyCacheEntry entry, IncomingRequest request)
    {
        TransactionReply reply;
        var token = entry.Execution!.Token;
        try
        {
            var answer = await _user.HandleRequestAsync(request, token).ConfigureAwait(false);
            reply = new TransactionReply(entry.TransactionId, answer.Error is null ? answer.Actions : ValueList<ActionReply>.Empty, answer.Error);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogUserFailed(request.Peer, entry.TransactionId, e);
            reply = ErrorReplies.Reply(entry.TransactionId, H248ErrorCode.InternalSoftwareFailure, "request handler failed");
        }
        ReadOnlyMemory<byte>[] encoded = [Encode(entry.Version, [reply])];
        if (encoded[0].Length > _transport.MaxPduSize)
        {
            // H.248.1 v3: a reply larger than the PDU size goes in segments; before v3, or when even one action
            // reply does not fit, H.248.8 533 "Response exceeds maximum transport PDU size".
            var segments = entry.Version >= 3 ? ReplySegmenter.Split(reply, _transport.MaxPduSize, r => Encode(entry.Version, [r])) : null;
            encoded = segments is not null
                ? [.. segments.Select(s => (ReadOnlyMemory<byte>)s)]
                : [Encode(entry.Version, [ErrorReplies.Reply(entry.TransactionId, H248ErrorCode.ResponseExceedsMaximumTransportPduSize, null)])];
        }
        lock (_gate)
        {
            if (entry.State != ReplyState.Executing)
            {
                // Already answered with 506.
                return;
            }
            entry.PendingTimer?.Dispose();
            entry.Execution.Dispose();
            _replies.Complete(entry, encoded);
        }
        foreach (var message in encoded)
        {
            Send(request.Peer, message);
        }
    }

    private void OnProvisionalTimer(object? state)
    {
        var entry = (ReplyCacheEntry)state!;
        byte[] message;
        CancellationTokenSource? abandon = null;
        lock (_gate)
        {
            if (entry.State != ReplyState.Executing)
            {
                return;
            }
            if (_options.SentPendingLimit is { } limit && entry.PendingsSent >= limit)
            {
                // Root package MG/MGCOriginatedPendingLimit: one more Pending would exceed it, so the transaction is
                // abandoned with 506 (H.248.8 "Number of TransactionPendings Exceeded").
                message = Encode(entry.Version, [ErrorReplies.Reply(entry.TransactionId, H248ErrorCode.NumberOfTransactionPendingsExceeded, null)]);
                entry.PendingTimer!.Dispose();
                abandon = entry.Execution;
                _replies.Complete(entry, message);
            }
            else
            {
                // H.248.1 Annex D.1.3: execution outlasts the provisional response time, so tell the sender to wait.
                entry.PendingsSent++;
                MegacoMetrics.PendingsSent.Add(1);
                message = Encode(entry.Version, [new TransactionPending(entry.TransactionId)]);
                entry.PendingTimer!.Change(_options.ProvisionalResponseTime, Timeout.InfiniteTimeSpan);
            }
        }
        if (abandon is not null)
        {
            LogPendingLimitReached(entry.Peer, entry.TransactionId, entry.PendingsSent);
            abandon.Cancel();
            abandon.Dispose();
        }
        Send(entry.Peer, message);
    }

    /// <summary>Adds an ack; returns a message to send now when the batch is full or the ack is immediate. Under the lock.</summary>
    private byte[]? QueueAck(MegacoEndpoint peer, uint transactionId, bool immediate)
    {
        if (!_acks.TryGetValue(peer, out var batch))
        {
            batch = new AckBatch();
            _acks.Add(peer, batch);
        }
        batch.Ids.Add(transactionId);
        if (immediate || batch.Ids.Count >= _options.AckMaxCount)
        {
            return Encode(_options.Version, [TakeAcks(peer)!]);
        }
        batch.FlushTimer ??= _time.CreateTimer(static state =>
        {
            var (manager, peer) = ((TransactionManager, MegacoEndpoint))state!;
            manager.FlushAcks(peer);
        }, (this, peer), _options.AckDelay, Timeout.InfiniteTimeSpan);
        return null;
    }

    /// <summary>The peer's waiting acks as one TransactionResponseAck of ranges, or null. Under the lock.</summary>
    private TransactionResponseAck? TakeAcks(MegacoEndpoint peer)
    {
        if (!_acks.Remove(peer, out var batch))
        {
            return null;
        }
        batch.FlushTimer?.Dispose();
        return batch.Ids.Count == 0 ? null : new TransactionResponseAck(AckRanges.Compress(batch.Ids));
    }

    private void FlushAcks(MegacoEndpoint peer)
    {
        byte[]? message;
        lock (_gate)
        {
            message = TakeAcks(peer) is { } ack ? Encode(_options.Version, [ack]) : null;
        }
        if (message is not null)
        {
            Send(peer, message);
        }
    }

    private void OnConnectionLost(MegacoEndpoint peer, string? reason)
    {
        OutgoingTransaction[] lost;
        lock (_gate)
        {
            lost = [.. _outgoing.Values.Where(t => t.Peer.Equals(peer))];
        }
        LogConnectionLost(peer, reason ?? "closed by the peer", lost.Length);
        foreach (var transaction in lost)
        {
            Fail(transaction, TransactionFailure.ConnectionLost);
        }
        RaiseEvent(new MegacoEvent(MegacoEventKind.ConnectionLost, peer, reason ?? "closed by the peer"));
    }

    private void Sweep()
    {
        lock (_gate)
        {
            _replies.Sweep();
        }
    }

    private byte[] Encode(int version, Transaction[] transactions) =>
        Encode(new MegacoMessage(version, _options.MId, new ValueList<Transaction>(transactions)));

    private byte[] Encode(MegacoMessage message) => MegacoTextWriter.ToBytes(message, _options.Style);

    /// <summary>Sends without waiting; a failure is logged and reported to the user, never thrown. On the receive loop
    /// (one worker) the message is held in the <see cref="OutboundBatch"/> until the ready input is drained.
    /// Only for messages of transactions: a message-level errorDescriptor cannot share a message.</summary>
    private void Send(MegacoEndpoint peer, ReadOnlyMemory<byte> message)
    {
        if (Volatile.Read(ref _batchingThread) == Environment.CurrentManagedThreadId)
        {
            _batch.Add(peer, message);
            return;
        }
        _ = SendAsync(peer, message);
    }

    private async Task SendAsync(MegacoEndpoint peer, ReadOnlyMemory<byte> message)
    {
        try
        {
            await _transport.SendAsync(peer, message, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MegacoTransportException or OperationCanceledException or ObjectDisposedException)
        {
            LogSendFailed(peer, e.Message);
            RaiseEvent(new MegacoEvent(MegacoEventKind.SendFailed, peer, e.Message));
        }
    }

    private void RaiseEvent(MegacoEvent megacoEvent) => _ = RaiseEventAsync(megacoEvent);

    private async Task RaiseEventAsync(MegacoEvent megacoEvent)
    {
        try
        {
            await _user.OnEventAsync(megacoEvent, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogEventHandlerFailed(megacoEvent.Kind, e);
        }
    }

    /// <summary>Stops receiving, fails every outstanding request with <see cref="TransactionFailure.Stopped"/>
    /// and cancels executing requests. The transport is the caller's to dispose.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _transport.ConnectionLost -= OnConnectionLost;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        OutgoingTransaction[] outstanding;
        lock (_gate)
        {
            outstanding = [.. _outgoing.Values];
            foreach (var entry in _replies.Entries)
            {
                entry.PendingTimer?.Dispose();
            }
            foreach (var batch in _acks.Values)
            {
                batch.FlushTimer?.Dispose();
            }
            _acks.Clear();
        }
        foreach (var transaction in outstanding)
        {
            Fail(transaction, TransactionFailure.Stopped);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resending transaction {TransactionId} to {Peer} (retransmission {Count})")]
    private partial void LogResending(MegacoEndpoint peer, uint transactionId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction {TransactionId} to {Peer} timed out")]
    private partial void LogRequestTimedOut(MegacoEndpoint peer, uint transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId} from {Peer}: {Count} Pendings exceed the limit")]
    private partial void LogPendingLimitExceeded(MegacoEndpoint peer, uint transactionId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId} from {Peer} abandoned with 506 after {Count} Pendings")]
    private partial void LogPendingLimitReached(MegacoEndpoint peer, uint transactionId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate of transaction {TransactionId} from {Peer}")]
    private partial void LogDuplicateRequest(MegacoEndpoint peer, uint transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "H.248 syntax error from {Peer}: {Code} at {Line}:{Column}: {Reason}")]
    private partial void LogSyntaxError(MegacoEndpoint peer, int code, int line, int column, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer} refused a message: {Code} {Text}")]
    private partial void LogMessageRefused(MegacoEndpoint peer, ushort code, string? text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId} to {Peer}: segments {Missing} of its reply never came")]
    private partial void LogSegmentsMissing(MegacoEndpoint peer, uint transactionId, string missing);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Segment reply for transaction {TransactionId} from {Peer} noted")]
    private partial void LogSegmentIgnored(MegacoEndpoint peer, uint transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send to {Peer} failed: {Reason}")]
    private partial void LogSendFailed(MegacoEndpoint peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Peer} lost ({Reason}); {Count} requests outstanding on it failed")]
    private partial void LogConnectionLost(MegacoEndpoint peer, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receive failed: {Reason}")]
    private partial void LogReceiveFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing a message from {Peer} failed")]
    private partial void LogProcessingFailed(MegacoEndpoint peer, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling transaction {TransactionId} from {Peer} failed")]
    private partial void LogUserFailed(MegacoEndpoint peer, uint transactionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The user's handler of {Kind} failed")]
    private partial void LogEventHandlerFailed(MegacoEventKind kind, Exception exception);
}
