namespace Megaco.Protocol.Association;

/// <summary>Where an MG in the <see cref="MgcRegistry"/> stands.</summary>
public enum RegisteredMgState : byte
{
    /// <summary>Registered and answering; requests go to it.</summary>
    Registered,

    /// <summary>Silent, unreachable, or out of service by its own ServiceChange; it may register again.</summary>
    Lost,

    /// <summary>Handed off to another MGC (ServiceChange HandOff with MgcIdToTry).</summary>
    HandedOff,
}
