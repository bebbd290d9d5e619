namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Media { ... }</c> (H.248.1 §7.1.4): the TerminationState, then either stream parameters
/// that apply to the single implied stream, or one or more <c>Stream = id {..}</c> descriptors.
/// </summary>
public sealed record MediaDescriptor(
    TerminationStateDescriptor? TerminationState = null,
    StreamParms? Stream = null,
    ValueList<StreamDescriptor> Streams = default) : Descriptor;

/// <summary>The parameters of one stream: LocalControl, Local, Remote and (v3) Statistics.</summary>
public sealed record StreamParms(
    LocalControlDescriptor? LocalControl = null,
    LocalRemoteDescriptor? Local = null,
    LocalRemoteDescriptor? Remote = null,
    StatisticsDescriptor? Statistics = null);

/// <summary><c>Stream = id { streamParm *(, streamParm) }</c>.</summary>
public sealed record StreamDescriptor(ushort StreamId, StreamParms Parms);
