using Megaco.Mg.Contexts;
using Megaco.Mg.Diagnostics;
using Megaco.Mg.Tls;
using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megaco.Mg.Control;

/// <summary>
/// The MG's control plane as a hosted service: binds the control transport, registers with the MGCs of
/// <see cref="ControlOptions.Mgc"/> through an <see cref="MgAssociation"/>, hands the MGC's commands to the
/// <see cref="MediaGatewayEngine"/>, and sends the engine's Notifies back. On host stop (SIGTERM) it says
/// goodbye with ServiceChange Graceful, then releases every context (H.248.1 §7.2.8: Graceful announces
/// the MG is going; the bearers close with the engine).
/// </summary>
public sealed partial class MgControlService(
    IOptions<ControlOptions> control,
    IOptions<MediaOptions> media,
    ProfileCatalog catalog,
    ProfileValidator validator,
    MgMetrics metrics,
    MgCertificateSource certificates,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable, IMgUser, INotificationSink
{
    /// <summary>The ServiceChangeDelay announced with the Graceful ServiceChange at stop (H.248.1 §7.2.8): none, the MG goes now.</summary>
    private static readonly TimeSpan GracefulDelay = TimeSpan.Zero;

    /// <summary>Longest wait for the MGC to answer the Graceful ServiceChange: an MGC that is gone must not hold the
    /// MG's shutdown for the whole retransmission schedule.</summary>
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(3);

    private readonly ILogger _logger = loggerFactory.CreateLogger<MgControlService>();
    private IMegacoTransport? _transport;
    private MgAssociation? _association;
    private MediaGatewayEngine? _engine;

    /// <summary>The engine, once started (for tests and diagnostics).</summary>
    public MediaGatewayEngine? Engine => _engine;

    public MgAssociation? Association => _association;

    /// <summary>The bound control endpoint (the listen port may have been 0).</summary>
    public MegacoEndpoint? LocalEndpoint => _transport?.LocalEndpoint;

    /// <summary>Binds before the host reports started, so a busy port fails start-up.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = control.Value;
        var mgcs = new ValueList<MegacoEndpoint>(settings.MgcEndpoints());
        var identity = validator.Profile.Identity;
        var associationOptions = new MgAssociationOptions
        {
            Mgcs = mgcs,
            Version = settings.Version,
            Profiles = [new ServiceChangeProfile(identity.Name, identity.Version)],
        };
        var transportOptions = new MegacoTransportOptions
        {
            Listen = settings.ListenEndpoint(),
            Peers = MgAssociation.PeerFilterFor(associationOptions),
        };
        try
        {
            _transport = transportOptions.Listen.Transport == MegacoTransportKind.Tcp
                ? TcpTransport.Listen(transportOptions, loggerFactory.CreateLogger<TcpTransport>())
                : UdpTransport.Bind(transportOptions, loggerFactory.CreateLogger<UdpTransport>());
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new StartupException($"cannot listen on Control:Listen {transportOptions.Listen}: {e.Message}", e);
        }
        var transactionOptions = new TransactionOptions
        {
            MId = settings.OwnMId(_transport.LocalEndpoint),
            Version = settings.Version,
            Style = settings.Encoding,
        };
        _engine = new MediaGatewayEngine(media.Value, catalog, validator, this, metrics,
            loggerFactory.CreateLogger<MediaGatewayEngine>(), certificates: certificates);
        // A restarted MG must not reuse the transaction ids of its previous run: within its reply hold time the MGC takes
        // them for retransmissions and answers from its cache or drops them (H.248.1 Annex D.1.1), so the new
        // ServiceChange Restart would go unheard. Each run starts at a random id.
        var firstTransactionId = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _association = new MgAssociation(_transport, transactionOptions, associationOptions, this, loggerFactory: loggerFactory,
            firstTransactionId: firstTransactionId);
        LogStarting(_transport.LocalEndpoint, string.Join(", ", mgcs), identity.ToString(), settings.Version);
        _association.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_association is { } association)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(GoodbyeTimeout);
            try
            {
                var result = await association.StopAsync(graceful: true, GracefulDelay, bounded.Token);
                LogStopped(result.Failure.ToString());
            }
            catch (OperationCanceledException)
            {
                LogStopped("no answer within " + GoodbyeTimeout.TotalSeconds + " s");
            }
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is { } engine)
        {
            _engine = null;
            await engine.DisposeAsync();
        }
        if (_association is { } association)
        {
            _association = null;
            await association.DisposeAsync();
        }
        if (_transport is { } transport)
        {
            _transport = null;
            await transport.DisposeAsync();
        }
    }

    ValueTask<TransactionAnswer> IMgUser.HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) =>
        _engine is { } engine
            ? engine.ExecuteAsync(request, cancellationToken)
            : ValueTask.FromResult(TransactionAnswer.Failed(Protocol.Errors.H248ErrorCode.ServiceUnavailable, "MG stopping"));

    ValueTask IMgUser.OnAssociationChangedAsync(MgAssociationChange change, CancellationToken cancellationToken)
    {
        LogAssociation(change.State, change.Mgc, change.Version, change.Profile?.ToString(), change.Detail);
        return ValueTask.CompletedTask;
    }

    async ValueTask INotificationSink.NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observedEvents, CancellationToken cancellationToken)
    {
        if (_association is not { } association)
        {
            return;
        }
        var notify = new ActionRequest(context, [new CommandRequest(new NotifyRequest([termination], observedEvents))]);
        var result = await association.SendRequestAsync([notify], cancellationToken);
        if (!result.HasReply || result.Reply!.Error is not null)
        {
            LogNotifyFailed(context, termination, result.Failure, result.Reply?.Error?.Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MG control on {Endpoint}, registering with {Mgcs}, profile {Profile}, version {Version}")]
    private partial void LogStarting(MegacoEndpoint endpoint, string mgcs, string profile, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "association {State} with {Mgc}, version {Version}, profile {Profile}: {Detail}")]
    private partial void LogAssociation(MgAssociationState state, MegacoEndpoint? mgc, int version, string? profile, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "ServiceChange Graceful at stop: {Outcome}")]
    private partial void LogStopped(string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notify of {Context}/{Termination} not accepted: {Failure} {Code}")]
    private partial void LogNotifyFailed(ContextId context, TerminationId termination, TransactionFailure failure, ushort? code);
}
