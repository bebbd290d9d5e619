using System.Diagnostics.CodeAnalysis;

namespace Megaco.Mgc.Results;

/// <summary>The SDP body to send on (an offer or an answer, CRLF-terminated lines), or why there is none.</summary>
public sealed record SdpOutcome
{
    private SdpOutcome(string? sdp, MgcFailure? failure)
    {
        Sdp = sdp;
        Failure = failure;
    }

    public string? Sdp { get; }

    public MgcFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Sdp))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static SdpOutcome Success(string sdp) => new(sdp, null);

    public static SdpOutcome Failed(MgcFailure failure) => new(null, failure);

    public override string ToString() => Succeeded ? Sdp : Failure.ToString();
}
