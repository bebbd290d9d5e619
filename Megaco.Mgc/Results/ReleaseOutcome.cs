namespace Megaco.Mgc.Results;

/// <summary>
/// The end of a session or of a participant: the statistics of each subtracted termination, and the failure
/// if the MG could not be told. A failed release still forgets the session locally (a P-CSCF sends its BYE
/// or CANCEL either way); the MG's own timers reclaim what it may still hold.
/// </summary>
public sealed record ReleaseOutcome(IReadOnlyList<TerminationStatistics> Statistics, MgcFailure? Failure = null)
{
    public bool Succeeded => Failure is null;
}
