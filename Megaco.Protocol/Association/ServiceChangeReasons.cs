namespace Megaco.Protocol.Association;

/// <summary>The ServiceChange reasons the association sends (H.248.8 §5: a code, optionally followed by text).</summary>
public static class ServiceChangeReasons
{
    /// <summary>900 Service Restored: the MG is in contact with an MGC again (H.248.1 §11.5, method Disconnected).</summary>
    public const string ServiceRestored = "900";

    /// <summary>901 Cold Boot: the MG restarted without its state.</summary>
    public const string ColdBoot = "901";

    /// <summary>902 Warm Boot: the MG restarted with its state.</summary>
    public const string WarmBoot = "902";

    /// <summary>903 MGC Directed Change: a handoff ordered by the MGC (method HandOff).</summary>
    public const string MgcDirectedChange = "903";

    /// <summary>905 Termination taken out of service: an administrative shutdown (methods Graceful and Forced).</summary>
    public const string TerminationTakenOutOfService = "905";

    /// <summary>909 MGC Impending Failure: the MGC said it goes out of service, so the MG fails over (method Failover).</summary>
    public const string MgcImpendingFailure = "909";

    /// <summary>The three-digit code at the start of a reason text, or null.</summary>
    public static int? Code(string? reason) =>
        reason is { Length: >= 3 } && char.IsAsciiDigit(reason[0]) && char.IsAsciiDigit(reason[1]) && char.IsAsciiDigit(reason[2])
            ? (reason[0] - '0') * 100 + (reason[1] - '0') * 10 + (reason[2] - '0')
            : null;
}
