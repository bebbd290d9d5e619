using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Megaco.Mg.DataPath;
using Megaco.Mg.DataPath.Conference;
using Megaco.Mg.DataPath.Msrp;
using Megaco.Mg.Tests.DataPath;

namespace Megaco.Mg.Tests.Conference;

/// <summary>
/// A conference whose participants are real loopback TCP connections: the MG side of each is a passive
/// <see cref="TcpBearer"/> whose <see cref="BearerPipes"/> are the leg, the other side a
/// <see cref="Participant"/> that speaks MSRP.
/// </summary>
internal sealed class ConferenceHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly BearerPortPool _pool = Loopback.Pool();
    private readonly List<Participant> _participants = [];
    private readonly List<MsrpConferenceLegEnd> _ends = [];

    public ConferenceHarness(Func<Action<MsrpConferenceLegEnd>, MsrpConferenceOptions>? options = null)
    {
        Conference = new MsrpConference(options is null ? new MsrpConferenceOptions { OnLegEnded = Record } : options(Record));
    }

    public MsrpConference Conference { get; }

    public MsrpConferenceLegEnd[] Ends
    {
        get
        {
            lock (_ends)
            {
                return [.. _ends];
            }
        }
    }

    /// <summary>The MG's URI on a participant's leg.</summary>
    public static string LocalUri(string name) => $"{Scheme(name)}://127.0.0.1:2855/mg-{name};tcp";

    /// <summary>The participant's own URI (its a=path).</summary>
    public static string RemoteUri(string name) => $"{Scheme(name)}://{name}.example.com:7777/{name}-session;tcp";

    /// <summary>Bob stands for a participant whose TLS the MG terminates before the pipes: his leg's URIs are msrps (RFC 4975 §6).</summary>
    private static string Scheme(string name) => name == "bob" ? "msrps" : "msrp";

    /// <summary>
    /// Connects a participant to a passive bearer of the MG and adds the bearer's pipes as its leg;
    /// <paramref name="slowReader"/> shrinks the socket buffers on both ends so that backpressure comes soon.
    /// </summary>
    public async Task<Participant> JoinAsync(string name, bool slowReader = false, bool latched = false)
    {
        using var cts = new CancellationTokenSource(Timeout);
        // Latched (H.248.37): the bearer admits the first source whatever its address, here 127.0.0.3
        // while the Remote descriptor named 127.0.0.1, as behind a NAT.
        var bearer = Loopback.Passive(_pool, latching: latched);
        var establish = bearer.EstablishAsync(cts.Token);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (slowReader)
        {
            client.ReceiveBufferSize = 4096;
        }
        client.Bind(new IPEndPoint(latched ? Loopback.Ue3 : Loopback.Ue1, 0));
        await client.ConnectAsync(bearer.ListenEndPoint!, cts.Token);
        Assert.Equal(BearerOutcome.Established, await establish);
        if (slowReader)
        {
            bearer.Connection.SendBufferSize = 4096;
        }
        var wire = BearerPipes.Start(bearer);
        Assert.True(Conference.TryAddLeg(name, wire.FromPeer, wire.ToPeer, LocalUri(name), RemoteUri(name)));
        var participant = new Participant(name, client, wire, startReading: !slowReader);
        _participants.Add(participant);
        return participant;
    }

    public async Task<MsrpConferenceLegEnd> WaitForEndAsync(string legId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var end = Ends.FirstOrDefault(e => e.LegId == legId);
            if (end.LegId is not null)
            {
                return end;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"leg {legId} did not end");
    }

    private void Record(MsrpConferenceLegEnd end)
    {
        lock (_ends)
        {
            _ends.Add(end);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Conference.DisposeAsync();
        foreach (var participant in _participants)
        {
            await participant.DisposeAsync();
        }
    }
}

/// <summary>One message or chunk as a participant received it.</summary>
internal sealed record Received(string StartLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, char Flag)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool IsResponse => StartLine.Split(' ')[2].All(char.IsAsciiDigit);

    public string Method => StartLine.Split(' ')[2];

    public string TransactionId => StartLine.Split(' ')[1];
}

/// <summary>A test UE: sends MSRP text on its socket and frames what arrives into <see cref="Received"/> messages.</summary>
internal sealed class Participant : IAsyncDisposable
{
    private readonly Channel<Received> _inbox = Channel.CreateUnbounded<Received>();
    private Task _reading = Task.CompletedTask;
    private long _received;

    public Participant(string name, Socket socket, BearerPipes wire, bool startReading)
    {
        Name = name;
        Socket = socket;
        Wire = wire;
        if (startReading)
        {
            StartReading();
        }
    }

    public string Name { get; }

    public Socket Socket { get; }

    public BearerPipes Wire { get; }

    /// <summary>How the stream from the MG ended: null while open, "fin", "reset" or a framing error.</summary>
    public string? Ending { get; private set; }

    public void StartReading() => _reading = Task.Run(ReadAsync);

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(ConferenceHarness.Timeout);
        await Socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>The next message, within the harness timeout.</summary>
    public async Task<Received> NextAsync()
    {
        using var cts = new CancellationTokenSource(ConferenceHarness.Timeout);
        try
        {
            return await _inbox.Reader.ReadAsync(cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"{Name}: no message within {ConferenceHarness.Timeout}; the stream from the MG: {Ending ?? "open"} after {_received} bytes; sent by the MG side {Wire.BytesSent}", e);
        }
    }

    /// <summary>Messages received so far, without waiting.</summary>
    public List<Received> Drain()
    {
        var list = new List<Received>();
        while (_inbox.Reader.TryRead(out var message))
        {
            list.Add(message);
        }
        return list;
    }

    /// <summary>Waits until the stream from the MG has ended and returns how.</summary>
    public async Task<string> EndingAsync()
    {
        await _reading.WaitAsync(ConferenceHarness.Timeout);
        return Ending!;
    }

    private async Task ReadAsync()
    {
        var framer = new MsrpFramer();
        var collector = new Collector(_inbox.Writer);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await Socket.ReceiveAsync(buffer, SocketFlags.None);
                _received += n;
                if (n == 0)
                {
                    Ending = framer.IsAtMessageBoundary ? "fin" : "fin inside a message";
                    break;
                }
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, 0, n));
                if (!framer.TryAdvance(ref reader, ref collector, out var error))
                {
                    Ending = error.ToString();
                    break;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            Ending = "reset";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Ending = "closed: " + e.Message;
        }
        catch (Exception e)
        {
            Ending = "failed: " + e;
        }
        _inbox.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        Socket.Dispose();
        await Wire.DisposeAsync();
        await _reading.WaitAsync(ConferenceHarness.Timeout);
    }

    private struct Collector(ChannelWriter<Received> inbox) : IMsrpFrameHandler
    {
        private string _startLine = "";
        private List<KeyValuePair<string, string>> _headers = [];
        private MemoryStream? _body;

        public void OnStartLine(MsrpStartLine startLine)
        {
            _startLine = Encoding.Latin1.GetString(startLine.Line);
            _headers = [];
            _body = null;
        }

        public MsrpFramingErrorReason OnHeader(MsrpHeaderLine header)
        {
            _headers.Add(KeyValuePair.Create(Encoding.Latin1.GetString(header.Name), Encoding.Latin1.GetString(header.Value)));
            return MsrpFramingErrorReason.None;
        }

        public MsrpFramingErrorReason OnBodyStart()
        {
            _body = new MemoryStream();
            return MsrpFramingErrorReason.None;
        }

        public readonly void OnBodySlice(ReadOnlySpan<byte> slice) => _body!.Write(slice);

        public readonly MsrpFramingErrorReason OnEndLine(MsrpEndLine endLine)
        {
            inbox.TryWrite(new Received(_startLine, _headers, _body?.ToArray(), (char)endLine.Flag));
            return MsrpFramingErrorReason.None;
        }
    }
}
