namespace Megaco.Mgc.Events;

/// <summary>Which termination of a session an event concerns.</summary>
public enum MsrpLeg : byte
{
    /// <summary>Towards the UE (IMS access network).</summary>
    Access,

    /// <summary>Towards the IMS core (or the other network on Ix).</summary>
    Core,

    /// <summary>A conference participant's termination (Mp).</summary>
    Participant,

    /// <summary>Not one termination: the whole context (e.g. the MG was lost).</summary>
    Context,
}
