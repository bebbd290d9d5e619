namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Events [= requestId { requestedEvent *(, requestedEvent) }]</c> (H.248.1 §7.1.9). A bare
/// <c>Events</c> (no request id, no events) clears the events; it is kept distinct from absence.
/// The same shape serves the embedded (second) events descriptor.
/// </summary>
public sealed record EventsDescriptor(uint? RequestId, ValueList<RequestedEvent> Events) : Descriptor
{
    public static readonly EventsDescriptor Empty = new(null, ValueList<RequestedEvent>.Empty);
}

public enum NotifyBehaviourKind : byte
{
    /// <summary>v3 <c>ImmediateNotify</c> (the default).</summary>
    Immediate,
    /// <summary>v3 <c>RegulatedNotify</c>.</summary>
    Regulated,
    /// <summary>v3 <c>NeverNotify</c>.</summary>
    Never,
}

/// <summary>v3 notification behaviour of a requested event, with RegulatedNotify's embedded descriptors.</summary>
public sealed record NotifyBehaviour(
    NotifyBehaviourKind Kind,
    SignalsDescriptor? EmbeddedSignals = null,
    EventsDescriptor? EmbeddedEvents = null);

/// <summary>
/// <c>pkgdName [{ eventParameter *(, eventParameter) }]</c> (H.248.1 Annex B requestedEvent):
/// KeepActive, Embed (signals and/or second events), a digit map, a stream, v3 notify behaviour
/// and ResetEventsDescriptor, and package-defined parameters.
/// </summary>
public sealed record RequestedEvent(
    PkgdName Name,
    ushort? StreamId = null,
    bool KeepActive = false,
    SignalsDescriptor? EmbeddedSignals = null,
    EventsDescriptor? EmbeddedEvents = null,
    DigitMapDescriptor? DigitMap = null,
    NotifyBehaviour? NotifyBehaviour = null,
    bool ResetEventsDescriptor = false,
    ValueList<PropertyParm> Parameters = default);
