namespace Megaco.Protocol.Model;

/// <summary>A v2+ individual audit item (H.248.1 Annex B indAudauditReturnParameter).</summary>
public abstract record IndAuditParameter;

/// <summary>A property to audit by name, optionally with a value to select on (v3).</summary>
public sealed record IndAudPropertyParm(PkgdName Name, PropertyParm? Select = null);

/// <summary><c>Media { indAudmediaParm *(, indAudmediaParm) }</c>.</summary>
public sealed record IndAudMediaDescriptor(
    IndAudTerminationStateDescriptor? TerminationState = null,
    IndAudStreamParms? Stream = null,
    ValueList<IndAudStreamDescriptor> Streams = default) : IndAuditParameter;

/// <summary>The audited parameters of one stream.</summary>
public sealed record IndAudStreamParms(
    IndAudLocalControlDescriptor? LocalControl = null,
    bool Local = false,
    bool Remote = false,
    PkgdName? Statistic = null);

/// <summary><c>Stream = id { indAudstreamParm }</c>.</summary>
public sealed record IndAudStreamDescriptor(ushort StreamId, IndAudStreamParms Parms);

/// <summary>
/// <c>LocalControl { Mode [(= / #) mode], ReservedGroup, ReservedValue, properties }</c>.
/// </summary>
public sealed record IndAudLocalControlDescriptor(
    bool Mode = false,
    StreamMode? ModeSelect = null,
    bool ModeSelectNotEqual = false,
    bool ReserveGroup = false,
    bool ReserveValue = false,
    ValueList<IndAudPropertyParm> Properties = default);

/// <summary><c>TerminationState { ServiceStates [(= / #) state] / Buffer / property }</c>.</summary>
public sealed record IndAudTerminationStateDescriptor(
    bool ServiceStates = false,
    ServiceState? ServiceStateSelect = null,
    bool ServiceStateSelectNotEqual = false,
    bool Buffer = false,
    ValueList<IndAudPropertyParm> Properties = default);

/// <summary><c>Events [= requestId] { pkgdName [{ Stream = id }] }</c>.</summary>
public sealed record IndAudEventsDescriptor(PkgdName Name, uint? RequestId = null, ushort? StreamId = null) : IndAuditParameter;

/// <summary><c>EventBuffer { pkgdName [{ Stream = id / parameterName }] }</c>.</summary>
public sealed record IndAudEventBufferDescriptor(PkgdName Name, ushort? StreamId = null, string? ParameterName = null) : IndAuditParameter;

/// <summary>
/// <c>Signals { [signalRequest / SignalList = id [{ signalRequest }]] }</c>; <see cref="Signal"/>
/// is null for <c>Signals { }</c>.
/// </summary>
public sealed record IndAudSignalsDescriptor(SignalItem? Signal = null) : IndAuditParameter;

/// <summary><c>DigitMap [= name]</c>.</summary>
public sealed record IndAudDigitMapDescriptor(string? Name = null) : IndAuditParameter;

/// <summary><c>Statistics { pkgdName }</c>.</summary>
public sealed record IndAudStatisticsDescriptor(PkgdName Name) : IndAuditParameter;

/// <summary><c>Packages { name-version }</c>.</summary>
public sealed record IndAudPackagesDescriptor(PackageItem Package) : IndAuditParameter;
