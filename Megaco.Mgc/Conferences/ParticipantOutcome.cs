using System.Diagnostics.CodeAnalysis;
using Megaco.Mgc.Results;
using Megaco.Protocol.Model;

namespace Megaco.Mgc.Conferences;

/// <summary>A participant admitted (its termination and the SDP answer for it), or why not.</summary>
public sealed record ParticipantOutcome
{
    private ParticipantOutcome(TerminationId? participant, string? answer, MgcFailure? failure)
    {
        Participant = participant;
        Answer = answer;
        Failure = failure;
    }

    public TerminationId? Participant { get; }

    public string? Answer { get; }

    public MgcFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Participant), nameof(Answer))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static ParticipantOutcome Admitted(TerminationId participant, string answer) => new(participant, answer, null);

    public static ParticipantOutcome Refused(MgcFailure failure) => new(null, null, failure);
}
