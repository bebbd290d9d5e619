using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// The H.248.1 Annex B.2 rules that choose one token from a short list (streamModes, serviceStatesValue,
/// signalType, direction, topologyDirection, notificationReason, eventBufferControl, onOrOff, emergencyValue),
/// each as a table read by one parser.
/// </summary>
internal ref partial struct TextParser
{
    private static readonly (Keyword, StreamMode)[] StreamModes =
    [
        (Keyword.SendOnly, StreamMode.SendOnly),
        (Keyword.ReceiveOnly, StreamMode.ReceiveOnly),
        (Keyword.SendReceive, StreamMode.SendReceive),
        (Keyword.Inactive, StreamMode.Inactive),
        (Keyword.Loopback, StreamMode.Loopback),
    ];

    private static readonly (Keyword, ServiceState)[] ServiceStates =
    [
        (Keyword.Test, ServiceState.Test),
        (Keyword.OutOfService, ServiceState.OutOfService),
        (Keyword.InService, ServiceState.InService),
    ];

    private static readonly (Keyword, SignalType)[] SignalTypes =
    [
        (Keyword.OnOff, SignalType.OnOff),
        (Keyword.TimeOut, SignalType.TimeOut),
        (Keyword.Brief, SignalType.Brief),
    ];

    private static readonly (Keyword, SignalDirection)[] SignalDirections =
    [
        (Keyword.External, SignalDirection.External),
        (Keyword.Internal, SignalDirection.Internal),
        (Keyword.Both, SignalDirection.Both),
    ];

    private static readonly (Keyword, TopologyDirection)[] TopologyDirections =
    [
        (Keyword.Bothway, TopologyDirection.Bothway),
        (Keyword.Isolate, TopologyDirection.Isolate),
        (Keyword.Oneway, TopologyDirection.Oneway),
        (Keyword.OnewayExternal, TopologyDirection.OnewayExternal),
        (Keyword.OnewayBoth, TopologyDirection.OnewayBoth),
    ];

    private static readonly (Keyword, NotifyCompletionReason)[] NotificationReasons =
    [
        (Keyword.TimeOut, NotifyCompletionReason.TimeOut),
        (Keyword.InterruptByEvent, NotifyCompletionReason.InterruptedByEvent),
        (Keyword.InterruptBySignalsDescriptor, NotifyCompletionReason.InterruptedByNewSignalsDescriptor),
        (Keyword.OtherReason, NotifyCompletionReason.OtherReason),
        (Keyword.Iteration, NotifyCompletionReason.Iteration),
    ];

    private static readonly (Keyword, EventBufferControl)[] EventBufferControls =
    [
        (Keyword.Off, EventBufferControl.Off),
        (Keyword.LockStep, EventBufferControl.LockStep),
    ];

    private static readonly (Keyword, bool)[] OnOrOff =
    [
        (Keyword.On, true),
        (Keyword.Off, false),
    ];

    // emergencyValue = EmergencyValueToken EQUAL (EmergencyToken / EmergencyOffToken)
    private static readonly (Keyword, bool)[] EmergencyValues =
    [
        (Keyword.Emergency, true),
        (Keyword.EmergencyOff, false),
    ];

    /// <summary>Reads one token of <paramref name="choices"/>; anything else fails naming every choice.</summary>
    private T ParseChoice<T>(string rule, (Keyword Keyword, T Value)[] choices)
    {
        var start = SkipAndMark();
        var keyword = KeywordTable.Lookup(ReadWord(rule));
        foreach (var (candidate, value) in choices)
        {
            if (candidate == keyword)
            {
                return value;
            }
        }
        FailChoice(start, rule, choices);
        return default!;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private readonly void FailChoice<T>(int start, string rule, (Keyword Keyword, T Value)[] choices) =>
        FailAt(start, rule, "expected " + string.Join(", ", choices.Select(c => KeywordTable.Long(c.Keyword))));

    private StreamMode ParseStreamMode() => ParseChoice("streamModes", StreamModes);

    private ServiceState ParseServiceState() => ParseChoice("serviceStatesValue", ServiceStates);

    private bool ParseOnOff(string rule) => ParseChoice(rule, OnOrOff);
}
