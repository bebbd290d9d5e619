namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Signals [{ signalParm *(, signalParm) }]</c> (H.248.1 §7.1.11). An empty Signals descriptor
/// stops all signals and is kept distinct from an absent one.
/// </summary>
public sealed record SignalsDescriptor(ValueList<SignalItem> Signals) : Descriptor
{
    public static readonly SignalsDescriptor Empty = new(ValueList<SignalItem>.Empty);
}

/// <summary>A signal or a sequential signal list.</summary>
public abstract record SignalItem;

public enum SignalType : byte
{
    OnOff,
    TimeOut,
    Brief,
}

public enum SignalDirection : byte
{
    External,
    Internal,
    Both,
}

public enum NotifyCompletionReason : byte
{
    TimeOut,
    InterruptedByEvent,
    InterruptedByNewSignalsDescriptor,
    OtherReason,
    /// <summary>v3 <c>Iteration</c>.</summary>
    Iteration,
}

/// <summary>
/// <c>pkgdName [{ sigParameter *(, sigParameter) }]</c>: stream, signal type, duration,
/// NotifyCompletion, KeepActive, v3 direction, request id and inter-signal delay, and
/// package-defined parameters.
/// </summary>
public sealed record SignalRequest(
    PkgdName Name,
    ushort? StreamId = null,
    SignalType? Type = null,
    ushort? Duration = null,
    ValueList<NotifyCompletionReason>? NotifyCompletion = null,
    bool KeepActive = false,
    SignalDirection? Direction = null,
    uint? RequestId = null,
    ushort? IntersignalDelay = null,
    ValueList<PropertyParm> Parameters = default) : SignalItem;

/// <summary><c>SignalList = id { signalRequest *(, signalRequest) }</c>.</summary>
public sealed record SignalList(ushort Id, ValueList<SignalRequest> Signals) : SignalItem;
