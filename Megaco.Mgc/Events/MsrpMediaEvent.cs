using Megaco.Protocol.Model;

namespace Megaco.Mgc.Events;

/// <summary>
/// One event for the owner of a session or conference: the leg and termination, what happened, a short
/// detail (the <c>ra</c>, <c>cause</c>, <c>ver</c>/<c>cs</c> parameter values), and the observed event as the MG sent it
/// (null for <see cref="MsrpEventKind.GatewayLost"/>).
/// </summary>
public sealed record MsrpMediaEvent(MsrpLeg Leg, TerminationId Termination, MsrpEventKind Kind, string? Detail, ObservedEvent? Observed)
{
    /// <summary>Reads an observed event of the contract's packages.</summary>
    public static MsrpMediaEvent From(MsrpLeg leg, TerminationId termination, ObservedEvent observed)
    {
        var package = observed.Name.Package.ToLowerInvariant();
        var item = observed.Name.Item.ToLowerInvariant();
        var (kind, detail) = (package, item) switch
        {
            ("tcpx", "est") => (MsrpEventKind.ConnectionEstablished, Parameter(observed, "ra")),
            ("tcpx", "fail") => (MsrpEventKind.ConnectionFailed, Parameter(observed, "cause")),
            ("tcpx", "lost") => (MsrpEventKind.ConnectionLost, Parameter(observed, "cause")),
            ("tlsx", "est") => (MsrpEventKind.TlsEstablished, Join(Parameter(observed, "ver"), Parameter(observed, "cs"))),
            ("tlsx", "fail") => (MsrpEventKind.TlsFailed, Parameter(observed, "cause")),
            ("adid", "ipstop") => (MsrpEventKind.Inactivity, null),
            _ => (MsrpEventKind.Other, observed.Name.ToString()),
        };
        return new MsrpMediaEvent(leg, termination, kind, detail, observed);
    }

    private static string? Parameter(ObservedEvent observed, string name)
    {
        foreach (var parameter in observed.Parameters)
        {
            if (parameter.Name.Item.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Value ?? string.Join(' ', parameter.Values);
            }
        }
        return null;
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + " " + b;
}
