namespace Megaco.Protocol.Model;

public enum ServiceState : byte
{
    Test,
    OutOfService,
    InService,
}

public enum EventBufferControl : byte
{
    Off,
    LockStep,
}

/// <summary><c>TerminationState { ServiceStates, Buffer, properties }</c> (H.248.1 §7.1.5).</summary>
public sealed record TerminationStateDescriptor(
    ServiceState? ServiceState = null,
    EventBufferControl? BufferControl = null,
    ValueList<PropertyParm> Properties = default);
