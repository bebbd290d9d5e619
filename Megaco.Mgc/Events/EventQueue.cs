using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Megaco.Mgc.Events;

/// <summary>
/// The events of one session or conference, for its owner to read as an async stream. Bounded: when the
/// owner does not read, the oldest are dropped (a misbehaving MG cannot grow memory) and counted.
/// </summary>
internal sealed class EventQueue
{
    /// <summary>A session sees a handful of events (establishment per leg, TLS, loss); 64 is ample.</summary>
    public const int Capacity = 64;

    private readonly Channel<MsrpMediaEvent> _channel;
    private long _dropped;

    public EventQueue()
    {
        _channel = Channel.CreateBounded<MsrpMediaEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = false,
            SingleWriter = false,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(MsrpMediaEvent megacoEvent) => _channel.Writer.TryWrite(megacoEvent);

    /// <summary>No more events: a reader's stream ends after the ones already queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public async IAsyncEnumerable<MsrpMediaEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
