namespace Megaco.Protocol.Model;

/// <summary>A command reply (H.248.1 Annex B commandReply).</summary>
public abstract record CommandReply(ValueList<TerminationId> TerminationIds);

public enum AmmsKind : byte
{
    Add,
    Move,
    Modify,
    Subtract,
}

/// <summary>
/// Reply to Add, Move, Modify or Subtract. <see cref="Audit"/> is null when the reply has no
/// braces; when present it lists the returned descriptors (terminationAudit), which may include
/// an Error descriptor.
/// </summary>
public sealed record AmmsReply(AmmsKind Kind, ValueList<TerminationId> TerminationIds, ValueList<Descriptor>? Audit = null)
    : CommandReply(TerminationIds);

/// <summary>
/// Reply to AuditValue or AuditCapabilities. Either a terminationAudit for the listed terminations,
/// or (for an audit of a whole context, <c>AV = Context {ids}</c>) the context's termination ids,
/// or <c>AV = Context { Error }</c>.
/// </summary>
public sealed record AuditReply(
    AuditKind Kind,
    ValueList<TerminationId> TerminationIds,
    ValueList<Descriptor>? Audit = null,
    bool IsContextAuditResult = false,
    ErrorDescriptor? ContextAuditError = null) : CommandReply(TerminationIds);

/// <summary>Reply to Notify, optionally with an Error descriptor.</summary>
public sealed record NotifyReply(ValueList<TerminationId> TerminationIds, ErrorDescriptor? Error = null)
    : CommandReply(TerminationIds);

/// <summary>Reply to ServiceChange: the result parameters or an Error descriptor.</summary>
public sealed record ServiceChangeReply(
    ValueList<TerminationId> TerminationIds,
    ServiceChangeResParm? Result = null,
    ErrorDescriptor? Error = null) : CommandReply(TerminationIds);
