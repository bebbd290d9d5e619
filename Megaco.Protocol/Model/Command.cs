namespace Megaco.Protocol.Model;

/// <summary>A command request (H.248.1 §7.2).</summary>
public abstract record Command(ValueList<TerminationId> TerminationIds);

public enum AmmKind : byte
{
    Add,
    Move,
    Modify,
}

/// <summary>Add, Move or Modify with its descriptors in the order written (H.248.1 §7.2.1–7.2.3).</summary>
public sealed record AmmRequest(AmmKind Kind, ValueList<TerminationId> TerminationIds, ValueList<Descriptor> Descriptors)
    : Command(TerminationIds);

/// <summary>Subtract with an optional Audit descriptor (H.248.1 §7.2.4).</summary>
public sealed record SubtractRequest(ValueList<TerminationId> TerminationIds, AuditDescriptor? Audit = null)
    : Command(TerminationIds);

public enum AuditKind : byte
{
    Value,
    Capabilities,
}

/// <summary>AuditValue or AuditCapabilities (H.248.1 §7.2.5, §7.2.6).</summary>
public sealed record AuditRequest(AuditKind Kind, ValueList<TerminationId> TerminationIds, AuditDescriptor? Audit = null)
    : Command(TerminationIds);

/// <summary>Notify with ObservedEvents or an Error descriptor (H.248.1 §7.2.7).</summary>
public sealed record NotifyRequest(
    ValueList<TerminationId> TerminationIds,
    ObservedEventsDescriptor? ObservedEvents,
    ErrorDescriptor? Error = null) : Command(TerminationIds);

/// <summary>ServiceChange with its Services descriptor (H.248.1 §7.2.8).</summary>
public sealed record ServiceChangeRequest(ValueList<TerminationId> TerminationIds, ServiceChangeParm Parms)
    : Command(TerminationIds);
