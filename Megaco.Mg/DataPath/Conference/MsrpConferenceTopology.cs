namespace Megaco.Mg.DataPath.Conference;

/// <summary>How media flows between two participants: H.248.1 §7.1.18, the Topology descriptor's associations.</summary>
public enum MsrpConferenceTopology : byte
{
    /// <summary>Both ways (the default between every pair).</summary>
    BothWay,

    /// <summary>From the first participant to the second only.</summary>
    OneWay,

    /// <summary>Neither way.</summary>
    Isolate,
}
