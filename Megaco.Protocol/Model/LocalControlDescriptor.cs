namespace Megaco.Protocol.Model;

public enum StreamMode : byte
{
    SendOnly,
    ReceiveOnly,
    SendReceive,
    Inactive,
    Loopback,
}

/// <summary><c>LocalControl { Mode, ReservedGroup, ReservedValue, properties }</c> (H.248.1 §7.1.7).</summary>
public sealed record LocalControlDescriptor(
    StreamMode? Mode = null,
    bool? ReserveGroup = null,
    bool? ReserveValue = null,
    ValueList<PropertyParm> Properties = default);
