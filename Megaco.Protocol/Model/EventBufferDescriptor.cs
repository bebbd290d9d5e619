namespace Megaco.Protocol.Model;

/// <summary><c>EventBuffer [{ eventSpec *(, eventSpec) }]</c> (H.248.1 §7.1.10); may be empty.</summary>
public sealed record EventBufferDescriptor(ValueList<ObservedEvent> Events) : Descriptor;
