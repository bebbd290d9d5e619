using System.Net;
using System.Net.Sockets;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megaco.Mg.Control;

/// <summary>
/// The MG's H.248 control endpoint over UDP (H.248.1 Annex D.1, one message per datagram). Every
/// datagram is read with the text codec: faults are answered with the error H.248.8 gives them
/// (400, 403 with the transaction id, 406); a well-formed request is answered with 505, because this
/// MG has not yet registered with an MGC (its ServiceChange comes with the transaction layer).
/// </summary>
public sealed partial class ControlListener(IOptions<ControlOptions> options, ILogger<ControlListener> logger) : BackgroundService
{
    private readonly MegacoTextReader _reader = MegacoTextReader.Default;
    private Socket? _socket;

    /// <summary>Binds before the host reports started, so a busy port fails start-up and nothing sent after start is lost.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var endPoint = options.Value.ListenEndpoint().EndPoint;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(endPoint);
        LogListening((IPEndPoint)_socket.LocalEndPoint!);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var socket = _socket!;
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        var ownMId = settings.OwnMId(Protocol.Transport.MegacoEndpoint.Udp(bound));

        var buffer = new byte[_reader.Limits.MaxMessageBytes + 1];
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(bound.Address, 0), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                // An ICMP port unreachable from an earlier send surfaces here on some platforms; keep serving.
                LogReceiveFailed(e.SocketErrorCode);
                continue;
            }
            var answer = Answer(buffer.AsSpan(0, received.ReceivedBytes), ownMId);
            if (answer is not null)
            {
                await socket.SendToAsync(MegacoTextWriter.ToBytes(answer, settings.Encoding), SocketFlags.None, received.RemoteEndPoint, stoppingToken);
            }
        }
    }

    private MegacoMessage? Answer(ReadOnlySpan<byte> datagram, MId ownMId)
    {
        var result = _reader.Read(datagram);
        if (result.FirstError is { } error)
        {
            LogSyntaxError((int)error.Code, error.Line, error.Column, error.Reason);
        }
        // A message the reader refused is still answered in its sender's version when its header says one we
        // speak (Erlang/OTP megaco's mini grammar does the same); otherwise in version 1, which every peer reads.
        var version = result.Message?.Version ?? (VersionSniffer.Sniff(datagram) is { Version: >= 1 and <= 3 } header ? header.Version : 1);
        var errorReply = ErrorReplies.ForReadResult(result, version, ownMId);
        if (result.Message is null)
        {
            return errorReply;
        }
        var replies = new List<Transaction>(errorReply?.Transactions ?? []);
        foreach (var transaction in result.Message.Transactions)
        {
            if (transaction is TransactionRequest request)
            {
                replies.Add(ErrorReplies.Reply(request.TransactionId, H248ErrorCode.TransactionRequestReceivedBeforeServiceChangeReply,
                    "MG not registered with an MGC"));
            }
        }
        return replies.Count == 0 ? null : new MegacoMessage(version, ownMId, new ValueList<Transaction>(replies.ToArray()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "H.248 control listening on udp://{EndPoint}")]
    private partial void LogListening(IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "H.248 syntax error {Code} at {Line}:{Column}: {Reason}")]
    private partial void LogSyntaxError(int code, int line, int column, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);
}
