namespace Megaco.Protocol.Model;

/// <summary><c>ObservedEvents = requestId { observedEvent *(, observedEvent) }</c> (H.248.1 §7.1.17).</summary>
public sealed record ObservedEventsDescriptor(uint RequestId, ValueList<ObservedEvent> Events) : Descriptor;

/// <summary><c>[timeStamp :] pkgdName [{ parameter *(, parameter) }]</c>; also the eventSpec of an EventBuffer.</summary>
public sealed record ObservedEvent(
    PkgdName Name,
    TimeNotation? Timestamp = null,
    ushort? StreamId = null,
    ValueList<PropertyParm> Parameters = default);

/// <summary><c>yyyymmddThhmmssss</c>: 8 date digits, 'T', 8 time digits (hundredths of a second last).</summary>
public sealed record TimeNotation(string Date, string Time)
{
    public override string ToString() => Date + "T" + Time;
}
