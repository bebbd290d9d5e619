using System.Collections.Concurrent;
using Megaco.Protocol.Association;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// Our MGC side in the test process: an <see cref="MgcRegistry"/> on a loopback control port, whose
/// <see cref="IMgcUser"/> records the association's changes and hands the MG's Notify to <see cref="Requests"/>
/// (the session or conference controller) and its restart or loss to <see cref="GatewayLost"/>, as a P-CSCF would.
/// </summary>
internal sealed class OurMgc : IMgcUser, IAsyncDisposable
{
    private readonly IMegacoTransport _transport;
    private readonly ConcurrentQueue<string> _changes = new();
    private TaskCompletionSource<RegisteredMg> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OurMgc(IMegacoTransport transport, TextStyle style, int version)
    {
        _transport = transport;
        Registry = new MgcRegistry(transport,
            new TransactionOptions { MId = MIdAddresses.ToMId(transport.LocalEndpoint), Version = version, Style = style },
            new MgcRegistryOptions { AllowRegistration = true, Version = version }, this);
        Registry.Start();
    }

    public static OurMgc Start(string transport = "udp", TextStyle style = TextStyle.Compact, int version = 3)
    {
        var options = new MegacoTransportOptions { Listen = MegacoEndpoint.Parse($"{transport}://127.0.0.1:0"), Peers = PeerFilter.AllowAny };
        IMegacoTransport wire = transport == "tcp" ? TcpTransport.Listen(options) : UdpTransport.Bind(options);
        return new OurMgc(wire, style, version);
    }

    public MgcRegistry Registry { get; }

    public MegacoEndpoint Endpoint => _transport.LocalEndpoint;

    /// <summary>Where the MG's requests other than association business go (a controller's HandleRequestAsync).</summary>
    public Func<IncomingRequest, CancellationToken, ValueTask<TransactionAnswer>>? Requests { get; set; }

    /// <summary>Called when the MG restarted (its contexts are gone) or was lost (a controller's OnGatewayLost).</summary>
    public Action? GatewayLost { get; set; }

    /// <summary>"registered METHOD", "restarted", "lost REASON", in order.</summary>
    public IReadOnlyList<string> Changes => [.. _changes];

    /// <summary>The next registration (or re-registration) from now on; a fresh wait after each.</summary>
    public async Task<RegisteredMg> WaitRegisteredAsync(TimeSpan timeout, Func<string>? describe = null)
    {
        try
        {
            return await _registered.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the MG did not register within {timeout.TotalSeconds} s; changes: {string.Join(", ", Changes)}; {describe?.Invoke()}");
            throw;
        }
    }

    /// <summary>Forgets the last registration, so that <see cref="WaitRegisteredAsync"/> waits for the next one.</summary>
    public void ExpectAnotherRegistration() =>
        _registered = new TaskCompletionSource<RegisteredMg>(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask OnMgRegisteredAsync(RegisteredMg mg, CancellationToken cancellationToken)
    {
        _changes.Enqueue("registered " + mg.Method);
        _registered.TrySetResult(mg);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMgRestartedAsync(RegisteredMg mg, CancellationToken cancellationToken)
    {
        _changes.Enqueue("restarted");
        GatewayLost?.Invoke();
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMgLostAsync(RegisteredMg mg, string reason, CancellationToken cancellationToken)
    {
        _changes.Enqueue("lost " + reason);
        GatewayLost?.Invoke();
        return ValueTask.CompletedTask;
    }

    public ValueTask<TransactionAnswer> HandleRequestAsync(RegisteredMg mg, IncomingRequest request, CancellationToken cancellationToken) =>
        Requests is { } requests ? requests(request, cancellationToken) : ValueTask.FromResult(TransactionAnswer.Failed(H248ErrorCode.NotImplemented));

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await _transport.DisposeAsync();
    }
}
