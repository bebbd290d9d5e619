using System.Threading.Channels;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>An in-memory transport: records what is sent, hands over what a test or a <see cref="FaultyNetwork"/> delivers.</summary>
internal sealed class FakeTransport(MegacoEndpoint local, bool reliable = false, int maxPduSize = 65507) : IMegacoTransport
{
    private readonly Channel<ReceivedMessage> _inbound = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly List<(MegacoEndpoint Peer, byte[] Bytes)> _sent = [];

    public MegacoEndpoint LocalEndpoint { get; } = local;

    public bool IsReliable { get; } = reliable;

    public event Action<MegacoEndpoint, string?>? ConnectionLost;

    /// <summary>Plays a lost connection to <paramref name="peer"/>.</summary>
    public void LoseConnection(MegacoEndpoint peer, string? reason) => ConnectionLost?.Invoke(peer, reason);

    public int MaxPduSize { get; } = maxPduSize;

    /// <summary>Called for every send after it is recorded (a network routes it on).</summary>
    public Action<MegacoEndpoint, byte[]>? OnSend { get; set; }

    public IReadOnlyList<(MegacoEndpoint Peer, byte[] Bytes)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public int SentCount
    {
        get
        {
            lock (_sent)
            {
                return _sent.Count;
            }
        }
    }

    /// <summary>Every sent message, decoded.</summary>
    public IReadOnlyList<MegacoMessage> SentMessages => [.. Sent.Select(s => MegacoTextReader.Default.Read(s.Bytes).Message!)];

    /// <summary>Every sent transaction of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> SentTransactions<T>() where T : Transaction =>
        [.. SentMessages.SelectMany(m => m.Transactions).OfType<T>()];

    public ValueTask SendAsync(MegacoEndpoint peer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (message.Length > MaxPduSize)
        {
            throw new MegacoTransportException("too large");
        }
        var bytes = message.ToArray();
        lock (_sent)
        {
            _sent.Add((peer, bytes));
        }
        OnSend?.Invoke(peer, bytes);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken) => _inbound.Reader.ReadAsync(cancellationToken);

    public void Deliver(MegacoEndpoint from, byte[] message) => _inbound.Writer.TryWrite(new ReceivedMessage(from, message));

    public void Deliver(MegacoEndpoint from, string text) => Deliver(from, System.Text.Encoding.UTF8.GetBytes(text));

    public void Deliver(MegacoEndpoint from, MegacoMessage message) => Deliver(from, MegacoTextWriter.ToBytes(message, TextStyle.Compact));

    public ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
