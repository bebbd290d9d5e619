namespace Megaco.Protocol.Association;

/// <summary>Where the MG stands with its MGCs.</summary>
public enum MgAssociationState : byte
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Sending ServiceChange to the MGCs of the list (or to one it was redirected or handed to).</summary>
    Registering,

    /// <summary>An MGC accepted the registration; requests go to it in the negotiated version.</summary>
    Registered,

    /// <summary>Contact with the MGC was lost; the MG is about to register again (method Disconnected, H.248.1 §11.5).</summary>
    Lost,

    /// <summary>Stopped for good (after Graceful or Forced, or disposed).</summary>
    Stopped,
}
