namespace Megaco.Mg.Tls;

/// <summary>
/// How <see cref="TlsLeg.EstablishAsync"/> ended: an established, verified session ready for the relay,
/// or a refusal with its cause (the tlsx/fail event). Expected failures are outcomes, never exceptions.
/// </summary>
public sealed class TlsOutcome
{
    private TlsOutcome(TlsLeg? leg, TlsFailureCause? cause, short? alert, string? detail)
    {
        Leg = leg;
        Cause = cause;
        Alert = alert;
        Detail = detail;
    }

    /// <summary>The established leg; null when refused.</summary>
    public TlsLeg? Leg { get; }

    public bool IsEstablished => Leg is not null;

    public TlsFailureCause? Cause { get; }

    /// <summary>The alert description (RFC 8446 §6) received from or sent to the peer, if any.</summary>
    public short? Alert { get; }

    /// <summary>A short diagnostic; never contains key material.</summary>
    public string? Detail { get; }

    internal static TlsOutcome Established(TlsLeg leg) => new(leg, null, null, null);

    internal static TlsOutcome Failed(TlsFailureCause cause, short? alert, string detail) => new(null, cause, alert, detail);

    /// <summary>The tlsx/fail <c>cause</c> token for a cause.</summary>
    public static string CauseToken(TlsFailureCause cause) => cause switch
    {
        TlsFailureCause.FingerprintMismatch => "fpmismatch",
        TlsFailureCause.PskUnknown => "pskunknown",
        TlsFailureCause.PskBad => "pskbad",
        TlsFailureCause.NoCertificate => "nocert",
        TlsFailureCause.Timeout => "timeout",
        TlsFailureCause.PeerAlert => "alert",
        _ => "protocol",
    };

    public override string ToString() =>
        Leg is { } leg ? $"established {leg.Version} {leg.CipherSuiteName}" : $"refused {Cause} {Detail}";
}
