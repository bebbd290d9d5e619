using System.Net;
using Microsoft.Extensions.Logging;

namespace Megaco.Mg.Contexts;

public sealed partial class MediaGatewayEngine
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} failed with H.248 error {Code}: {Reason}")]
    private static partial void LogCommandFailed(ILogger logger, string command, ushort code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Termination {TerminationId} bearer {Outcome} ({Remote})")]
    private static partial void LogBearer(ILogger logger, string terminationId, string outcome, IPEndPoint? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Termination {TerminationId} TLS {Outcome}")]
    private static partial void LogTls(ILogger logger, string terminationId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Termination {TerminationId} refused a connection from {Source}")]
    private static partial void LogRefused(ILogger logger, string terminationId, IPEndPoint source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Context {ContextId} relay ended: {Reason}")]
    private static partial void LogRelayEnded(ILogger logger, string contextId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Context {ContextId} relay detached: both connections kept")]
    private static partial void LogRelayDetached(ILogger logger, string contextId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Event} on {TerminationId} not sent: {Reason}")]
    private static partial void LogEventRefused(ILogger logger, string @event, string terminationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notify of {Event} on {TerminationId} failed: {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, string @event, string terminationId, string error);
}
