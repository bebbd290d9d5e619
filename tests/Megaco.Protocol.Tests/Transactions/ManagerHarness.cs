using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Megaco.Protocol.Tests.Transactions;

/// <summary>One <see cref="TransactionManager"/> on a <see cref="FakeTransport"/> and a <see cref="FakeTimeProvider"/>; the test plays the peer.</summary>
internal sealed class ManagerHarness : IAsyncDisposable
{
    public static readonly MegacoEndpoint Local = MegacoEndpoint.Parse("udp://127.0.0.1:2944");
    public static readonly MegacoEndpoint Peer = MegacoEndpoint.Parse("udp://127.0.0.1:2945");
    public static readonly MId PeerMId = MId.IPv4("127.0.0.1", 2945);

    private long _delivered;

    public ManagerHarness(Func<TransactionOptions, TransactionOptions>? configure = null, bool reliable = false, uint firstTransactionId = 1)
    {
        Transport = new FakeTransport(reliable ? MegacoEndpoint.Tcp(Local.EndPoint) : Local, reliable);
        var options = new TransactionOptions { MId = MId.IPv4("127.0.0.1", 2944), Workers = 1 };
        Options = configure?.Invoke(options) ?? options;
        Manager = new TransactionManager(Transport, User, Options, Time, firstTransactionId: firstTransactionId);
        Manager.Start();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeTransport Transport { get; }

    public RecordingUser User { get; } = new();

    public TransactionOptions Options { get; }

    public TransactionManager Manager { get; }

    public MegacoEndpoint PeerEndpoint => Transport.IsReliable ? MegacoEndpoint.Tcp(Peer.EndPoint) : Peer;

    /// <summary>Delivers a message from the peer and waits until the manager has processed it.</summary>
    public async Task DeliverAsync(params Transaction[] transactions) =>
        await DeliverAsync(new MegacoMessage(1, PeerMId, new ValueList<Transaction>(transactions)));

    public async Task DeliverAsync(MegacoMessage message)
    {
        Transport.Deliver(PeerEndpoint, message);
        await WaitProcessedAsync();
    }

    public async Task DeliverAsync(string text)
    {
        Transport.Deliver(PeerEndpoint, text);
        await WaitProcessedAsync();
    }

    public static TransactionRequest Request(uint id, int n) => new(id, RecordingUser.Subtract(n));

    private async Task WaitProcessedAsync()
    {
        var expected = ++_delivered;
        await Eventually.True(() => Manager.MessagesProcessed >= expected, "the message to be processed");
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Transport.DisposeAsync();
    }
}
