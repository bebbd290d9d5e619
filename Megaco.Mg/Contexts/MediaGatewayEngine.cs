using System.Net;
using Megaco.Mg.DataPath;
using Megaco.Mg.Diagnostics;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megaco.Mg.Contexts;

/// <summary>
/// The MG's context table and command executor: executes the actions of a TransactionRequest from the MGC
/// on real bearers and returns the action replies (H.248.1 §8). Commands of a transaction run in order under
/// one lock; the first failing command (unless optional, <c>O-</c>) ends the transaction, its reply carrying
/// the replies of the commands before it and the error (H.248.1 §8.2.2). Every command is validated against
/// the profile first. Registration (ServiceChange on ROOT) belongs to the association, not here.
/// </summary>
public sealed partial class MediaGatewayEngine : IAsyncDisposable
{
    private readonly MediaOptions _options;
    private readonly ProfileCatalog _catalog;
    private readonly ProfileValidator _validator;
    private readonly INotificationSink _sink;
    private readonly MgMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ContextTable _table;
    private readonly IPAddress _address;
    private readonly Tls.MgCertificateSource _certificates;
    private readonly TerminationClass? _ephemeralClass;
    private readonly CancellationTokenSource _life = new();
    private readonly CancellationToken _stopping;
    private int _disposed;

    /// <summary>
    /// Bearers being released by the transaction that holds the lock: their sockets close while it goes on,
    /// and it awaits them after letting the lock go, before its reply leaves (so the reply still finds the
    /// ports returned). Null outside a transaction.
    /// </summary>
    private List<Task>? _releasing;

    /// <param name="certificates">The MG's certificates, when the caller already has them (the MG process loads them once at
    /// start); otherwise they come from <see cref="MediaOptions.CertificateSource"/> now.</param>
    public MediaGatewayEngine(MediaOptions options, ProfileCatalog catalog, ProfileValidator validator, INotificationSink sink,
        MgMetrics? metrics = null, ILogger<MediaGatewayEngine>? logger = null, TimeProvider? timeProvider = null,
        Tls.MgCertificateSource? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(sink);
        if (options.Validate() is { Count: > 0 } faults)
        {
            throw new ArgumentException(string.Join("; ", faults), nameof(options));
        }
        _options = options;
        _catalog = catalog;
        _validator = validator;
        _sink = sink;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _address = options.BearerIPAddress();
        _certificates = certificates ?? options.CertificateSource();
        _table = new ContextTable(options.MaxContexts);
        Ports = new BearerPortPool(_address, options.FirstPort, options.LastPort, metrics);
        _ephemeralClass = validator.Profile.TerminationClasses.FirstOrDefault(c => c.Ephemeral);
        _stopping = _life.Token;
    }

    /// <summary>The bearer ports; <see cref="BearerPortPool.InUse"/> is what terminations hold.</summary>
    public BearerPortPool Ports { get; }

    public int ContextCount
    {
        get
        {
            _lock.Wait();
            try
            {
                return _table.ContextCount;
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    public int TerminationCount
    {
        get
        {
            _lock.Wait();
            try
            {
                return _table.TerminationCount;
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    /// <summary>Executes one TransactionRequest; never throws for anything the MGC sent (errors go in the reply).</summary>
    public async ValueTask<TransactionAnswer> ExecuteAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var scope = _logger.BeginScope("Transaction {TransactionId}", request.Request.TransactionId);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<Task> releasing = [];
        TransactionAnswer answer;
        try
        {
            _releasing = releasing;
            var replies = new List<ActionReply>(request.Request.Actions.Count);
            foreach (var action in (IEnumerable<ActionRequest>)request.Request.Actions)
            {
                // H.248.1 §8.2.2: a failed command ends the transaction; the actions after it are not executed.
                if (!await ExecuteActionAsync(action, replies).ConfigureAwait(false))
                {
                    break;
                }
            }
            answer = TransactionAnswer.Replies(new ValueList<ActionReply>(replies));
        }
        finally
        {
            _releasing = null;
            _lock.Release();
        }
        await Task.WhenAll(releasing).ConfigureAwait(false);
        return answer;
    }

    private async ValueTask<bool> ExecuteActionAsync(ActionRequest action, List<ActionReply> replies)
    {
        if (action.ContextId.IsAll)
        {
            return await ExecuteOnEveryContextAsync(action, replies).ConfigureAwait(false);
        }
        var scope = new ActionScope(action.ContextId);
        if (!action.ContextId.IsNull && !action.ContextId.IsChoose)
        {
            scope.Context = _table.Find(action.ContextId);
            if (scope.Context is null)
            {
                replies.Add(Failed(scope, [], new CommandFailedException(H248ErrorCode.UnknownContextId, "no context " + action.ContextId)));
                return false;
            }
        }
        using var logScope = _logger.BeginScope("Context {ContextId}", action.ContextId);
        var commands = new List<CommandReply>(action.Commands.Count);
        foreach (var request in (IEnumerable<CommandRequest>)action.Commands)
        {
            try
            {
                if (_validator.Validate(request) is { } invalid)
                {
                    throw new CommandFailedException((H248ErrorCode)invalid.Code, invalid.Text ?? "");
                }
                var first = commands.Count;
                await ExecuteCommandAsync(scope, request.Command, commands).ConfigureAwait(false);
                if (WildcardResponse.Applies(request))
                {
                    WildcardResponse.Collapse(commands, first, request.Command.TerminationIds);
                }
            }
            catch (Exception caught) when (caught is not OperationCanceledException)
            {
                // A fault of ours (not of the request) is error 500 for this command, never a lost transaction.
                var e = caught as CommandFailedException ?? new CommandFailedException(H248ErrorCode.InternalSoftwareFailure, caught.Message);
                _metrics?.CommandFailed((ushort)e.Code);
                LogCommandFailed(_logger, request.Command.GetType().Name, (ushort)e.Code, e.Message);
                if (request.Optional)
                {
                    // H.248.1 §8.2.2: an optional command's failure goes in its own reply and execution goes on.
                    commands.Add(FailedReply(request.Command, e.ToDescriptor()));
                    continue;
                }
                replies.Add(Failed(scope, commands, e));
                return false;
            }
        }
        ContextRequest? contextReply = null;
        try
        {
            if (action.ContextRequest is { IsEmpty: false } properties)
            {
                ApplyContextProperties(scope, properties);
            }
            if (action.ContextAudit is { } audit)
            {
                contextReply = AuditContext(scope, audit);
            }
        }
        catch (CommandFailedException e)
        {
            _metrics?.CommandFailed((ushort)e.Code);
            replies.Add(Failed(scope, commands, e));
            return false;
        }
        replies.Add(new ActionReply(scope.ReplyId, new ValueList<CommandReply>(commands), null, contextReply));
        return true;
    }

    /// <summary>
    /// <c>Context = *</c>: the commands run in every context, one action reply each (H.248.1 §6.1.1). Only
    /// Subtract and the audits make sense across contexts (e.g. <c>Context = * { Subtract = * }</c> to clear all).
    /// </summary>
    private async ValueTask<bool> ExecuteOnEveryContextAsync(ActionRequest action, List<ActionReply> replies)
    {
        foreach (var request in action.Commands)
        {
            if (request.Command is not (SubtractRequest or AuditRequest))
            {
                replies.Add(Failed(new ActionScope(ContextId.All), [],
                    new CommandFailedException(H248ErrorCode.UnknownActionOrIllegalCombinationOfActions, "only Subtract and audits apply to Context = *")));
                return false;
            }
        }
        var contexts = _table.Contexts.Select(c => c.Id).ToArray();
        if (contexts.Length == 0)
        {
            replies.Add(Failed(new ActionScope(ContextId.All), [],
                new CommandFailedException(H248ErrorCode.NoTerminationIdMatchedWildcard, "no context exists")));
            return false;
        }
        foreach (var id in contexts)
        {
            if (!await ExecuteActionAsync(action with { ContextId = id }, replies).ConfigureAwait(false))
            {
                return false;
            }
        }
        return true;
    }

    private async ValueTask ExecuteCommandAsync(ActionScope scope, Command command, List<CommandReply> replies)
    {
        switch (command)
        {
            case AmmRequest { Kind: AmmKind.Add } add:
                replies.Add(await AddAsync(scope, add).ConfigureAwait(false));
                break;
            case AmmRequest { Kind: AmmKind.Modify } modify:
                await ModifyAsync(scope, modify, replies).ConfigureAwait(false);
                break;
            case AmmRequest { Kind: AmmKind.Move } move:
                replies.Add(await MoveAsync(scope, move).ConfigureAwait(false));
                break;
            case SubtractRequest subtract:
                await SubtractAsync(scope, subtract, replies).ConfigureAwait(false);
                break;
            case AuditRequest audit:
                Audit(scope, audit, replies);
                break;
            case ServiceChangeRequest serviceChange:
                await ServiceChangeAsync(scope, serviceChange, replies).ConfigureAwait(false);
                break;
            case NotifyRequest:
                // H.248.1 §7.2.7: Notify goes from the MG to the MGC only.
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownCommand, "Notify is sent by the MG, not executed by it");
                break;
            default:
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownCommand, command.GetType().Name + " is not supported");
                break;
        }
    }

    private static ActionReply Failed(ActionScope scope, List<CommandReply> done, CommandFailedException e) =>
        new(scope.ReplyId, new ValueList<CommandReply>(done), e.ToDescriptor());

    private static CommandReply FailedReply(Command command, ErrorDescriptor error) => command switch
    {
        AmmRequest amm => new AmmsReply((AmmsKind)amm.Kind, amm.TerminationIds, [error]),
        SubtractRequest subtract => new AmmsReply(AmmsKind.Subtract, subtract.TerminationIds, [error]),
        AuditRequest audit => new AuditReply(audit.Kind, audit.TerminationIds, [error]),
        ServiceChangeRequest change => new ServiceChangeReply(change.TerminationIds, Error: error),
        _ => new NotifyReply(command.TerminationIds, error),
    };

    /// <summary>Stops every bearer and relay and returns every port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _life.CancelAsync().ConfigureAwait(false);
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var context in _table.Contexts.ToArray())
            {
                foreach (var termination in context.Terminations.ToArray())
                {
                    await RemoveAsync(termination, partnerToo: true).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
        _life.Dispose();
    }

    /// <summary>The context an action names, resolved once the first Add or Move creates it for <c>$</c>.</summary>
    private sealed class ActionScope(ContextId requested)
    {
        public ContextId Requested { get; } = requested;

        public MgContext? Context { get; set; }

        public ContextId ReplyId => Context?.Id ?? Requested;
    }
}
