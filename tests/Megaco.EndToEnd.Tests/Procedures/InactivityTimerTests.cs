using System.Diagnostics;
using System.Globalization;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Protocol;
using Megaco.Protocol.Association;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>
/// The MG's heartbeat of H.248.14 (<c>it/ito</c> on ROOT; TS 29.334 Table 5.14.2.1 lists <c>it</c> as optional,
/// "MGC polling by MG", for UDP transport) against the MG process, with the MGC as a bare
/// <see cref="TransactionManager"/>: our MGC library answers the heartbeat itself, so the test plays the MGC to see
/// each Notify on the wire.
/// </summary>
public sealed class InactivityTimerTests
{
    private const uint RequestId = 7;
    private static readonly TimeSpan Mit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task The_MG_notifies_it_ito_on_ROOT_after_mit_of_MGC_silence_and_stops_when_the_MGC_clears_the_request()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var mgc = BareMgc.Start();
        var first = BearerPorts.Range(4);
        await using var mg = MgProcess.Start([
            "--listen", $"udp://127.0.0.1:{ErlangPeer.FreePort(false)}", "--mgc", mgc.Endpoint.ToString(), "--profile", "iq",
            "--Media:FirstPort=" + first.ToString(CultureInfo.InvariantCulture),
            "--Media:LastPort=" + (first + 3).ToString(CultureInfo.InvariantCulture)]);
        var mgEndpoint = await mgc.Registered.Task.WaitAsync(MgRig.RegistrationTimeout, ct);
        // The MG has taken the reply to its ServiceChange (its log says so) before the MGC asks for anything.
        var until = DateTime.UtcNow + MgRig.RegistrationTimeout;
        while (!mg.Output.Contains("Registered with", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, "the MG did not take its registration reply; MG output:\n" + mg.Output);
            await Task.Delay(20, ct);
        }

        // Modify = ROOT { Events = 7 { it/ito { mit = 100 } } }: mit in units of 10 ms (H.248.14).
        var requestedAt = mgc.Now;
        Answered(await mgc.Manager.SendRequestAsync(mgEndpoint, RootCommands.RequestInactivityTimer(RequestId, Mit), ct), mg);
        await mgc.HeartbeatsAsync(2, TimeSpan.FromSeconds(15), mg);
        var heartbeats = mgc.Heartbeats;
        Assert.All(heartbeats, h => Assert.Equal(RequestId, h.RequestId));
        // Not before mit has passed without a word from the MGC (H.248.14: the timer runs from the last message).
        Assert.True(heartbeats[0].At - requestedAt >= Mit * 0.9,
            $"the first it/ito came {(heartbeats[0].At - requestedAt).TotalMilliseconds} ms after a request with mit {Mit.TotalMilliseconds} ms");

        // Modify = ROOT { Events { } }: the MGC no longer asks; the heartbeats stop.
        Answered(await mgc.Manager.SendRequestAsync(mgEndpoint,
            [new ActionRequest(ContextId.Null, [new CommandRequest(new AmmRequest(AmmKind.Modify, [TerminationId.Root], [new EventsDescriptor(null, [])]))])], ct), mg);
        // One Notify may have crossed the clearing request on the wire; none may follow it.
        var afterClear = mgc.Heartbeats.Count;
        await Task.Delay(Mit * 3, ct);
        Assert.InRange(mgc.Heartbeats.Count, afterClear, afterClear + 1);
    }

    private static void Answered(TransactionResult result, MgProcess mg)
    {
        Assert.True(result.HasReply, $"no reply ({result.Failure}); MG output:\n{mg.Output}");
        Assert.Null(result.Reply!.Error);
        Assert.All(result.Reply.Actions, a => Assert.Null(a.Error));
    }

    /// <summary>An MGC with nothing but a transaction manager: it accepts the MG's registration and keeps (and
    /// answers) each <c>it/ito</c> Notify on ROOT, with its request id and when it came.</summary>
    private sealed class BareMgc : IMegacoUser, IAsyncDisposable
    {
        private readonly IMegacoTransport _transport;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(uint RequestId, TimeSpan At)> _heartbeats = [];

        private BareMgc(IMegacoTransport transport)
        {
            _transport = transport;
            Manager = new TransactionManager(transport, this, new TransactionOptions { MId = MIdAddresses.ToMId(transport.LocalEndpoint), Version = 3 });
            Manager.Start();
        }

        public static BareMgc Start() =>
            new(UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0"), Peers = PeerFilter.AllowAny }));

        public TransactionManager Manager { get; }

        public MegacoEndpoint Endpoint => _transport.LocalEndpoint;

        /// <summary>Where the MG registered from, once it has.</summary>
        public TaskCompletionSource<MegacoEndpoint> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The time on this MGC's clock.</summary>
        public TimeSpan Now => _clock.Elapsed;

        /// <summary>The it/ito Notify received so far: request id and when (on <see cref="Now"/>'s clock).</summary>
        public IReadOnlyList<(uint RequestId, TimeSpan At)> Heartbeats
        {
            get
            {
                lock (_heartbeats)
                {
                    return [.. _heartbeats];
                }
            }
        }

        /// <summary>Waits until <paramref name="count"/> heartbeats came, at most <paramref name="timeout"/>.</summary>
        public async Task HeartbeatsAsync(int count, TimeSpan timeout, MgProcess mg)
        {
            var until = DateTime.UtcNow + timeout;
            while (Heartbeats.Count < count)
            {
                Assert.True(DateTime.UtcNow < until, $"{Heartbeats.Count} it/ito Notify of {count} within {timeout.TotalSeconds} s; MG output:\n{mg.Output}");
                await Task.Delay(20);
            }
        }

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
        {
            if (RootCommands.RootServiceChange(request.Request) is not null)
            {
                Registered.TrySetResult(request.Peer);
                return ValueTask.FromResult(RootCommands.ServiceChangeAccepted());
            }
            if (RootCommands.IsInactivityNotify(request.Request)
                && request.Request.Actions[0].Commands[0].Command is NotifyRequest { ObservedEvents: { } observed })
            {
                lock (_heartbeats)
                {
                    _heartbeats.Add((observed.RequestId, _clock.Elapsed));
                }
                return ValueTask.FromResult(RootCommands.RootNotified());
            }
            return ValueTask.FromResult(TransactionAnswer.Failed(H248ErrorCode.NotImplemented));
        }

        public async ValueTask DisposeAsync()
        {
            await Manager.DisposeAsync();
            await _transport.DisposeAsync();
        }
    }
}
