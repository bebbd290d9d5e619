namespace Megaco.Mg.DataPath.Conference;

public enum MsrpConferenceLegEndReason : byte
{
    /// <summary>The participant closed its stream between messages.</summary>
    Closed,

    /// <summary><see cref="MsrpConference.RemoveLegAsync"/> (the MRFC subtracted the termination).</summary>
    Removed,

    /// <summary>The participant's stream broke RFC 4975 or a bound, or ended inside a message; see the error.</summary>
    FramingError,

    /// <summary>Messages to the participant stayed queued beyond <see cref="MsrpConferenceOptions.StallTimeout"/>.</summary>
    Stalled,

    /// <summary>The pipe from the participant failed (its connection was reset or broke).</summary>
    InputFailed,

    /// <summary>The participant's outgoing pipe was completed by its reader (the connection is gone).</summary>
    OutputClosed,

    /// <summary>The conference was disposed.</summary>
    Disposed,
}
