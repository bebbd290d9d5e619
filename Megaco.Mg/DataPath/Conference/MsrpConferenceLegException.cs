namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// What a participant's outgoing pipe is completed with when the conference drops it for a fault (framing
/// error, stall), so whatever sends that pipe to the socket resets the connection rather than closing it.
/// </summary>
public sealed class MsrpConferenceLegException : Exception
{
    public MsrpConferenceLegException(MsrpConferenceLegEnd end)
        : base($"MSRP conference leg '{end.LegId}' ended: {end.Reason}{(end.Error.IsError ? " (" + end.Error + ")" : string.Empty)}")
    {
        End = end;
    }

    public MsrpConferenceLegEnd End { get; }
}
