using Megaco.Mgc.Events;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>Reads a session's or conference's event stream in the background and lets a test wait for an event, bounded.</summary>
internal sealed class EventWatch : IAsyncDisposable
{
    private readonly List<MsrpMediaEvent> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public EventWatch(Func<CancellationToken, IAsyncEnumerable<MsrpMediaEvent>> events)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in events(_stop.Token))
                {
                    lock (_seen)
                    {
                        _seen.Add(e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by dispose.
            }
        });
    }

    public IReadOnlyList<MsrpMediaEvent> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>The first event (seen already or to come) that matches; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<MsrpMediaEvent> WaitForAsync(Func<MsrpMediaEvent, bool> match, string what, TimeSpan timeout, Func<string>? describe = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Seen.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"no {what} within {timeout.TotalSeconds} s; events: {string.Join(", ", Seen)}; {describe?.Invoke()}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
