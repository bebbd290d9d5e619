using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Sdp;

/// <summary>
/// What the MGC shows one side of the MG about the MSRP stream: the MG's address, port and protocol on
/// that side, its TCP role, and the fingerprints, path and CEMA flag to present. <see cref="ApplyTo"/>
/// rewrites the other side's SDP with it and keeps every other line as it was.
/// </summary>
public sealed record PresentedMedia
{
    public required ConnectionData Connection { get; init; }

    public required int Port { get; init; }

    public required string Protocol { get; init; }

    /// <summary>The MG's role on this side, written as <c>a=setup</c> (RFC 4145 §4).</summary>
    public required SetupRole Setup { get; init; }

    /// <summary><c>a=connection</c> (RFC 4145 §5); <c>new</c> unless an update keeps the connection.</summary>
    public TcpConnectionAttribute Reuse { get; init; } = TcpConnectionAttribute.New;

    /// <summary>The <c>a=fingerprint</c> values to show; empty removes them (clear TCP, PSK).</summary>
    public IReadOnlyList<string> Fingerprints { get; init; } = [];

    /// <summary>The <c>a=path</c> URIs to show; null keeps the source's (MSRP-agnostic, RFC 6714).</summary>
    public IReadOnlyList<string>? Path { get; init; }

    /// <summary>Whether <c>a=msrp-cema</c> is shown; null keeps the source's.</summary>
    public bool? Cema { get; init; }

    /// <summary>The value of <c>a=3ge2ae</c> (TS 24.229: e2ae indication), null removes it.</summary>
    public string? E2aeIndication { get; init; }

    public string ApplyTo(ReceivedMedia source)
    {
        var session = source.Session;
        var media = source.Media
            .WithPort(Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithProtocol(Protocol)
            .WithAttribute("setup", SetupRoles.ToAttributeValue(Setup))
            .WithAttribute("connection", Reuse == TcpConnectionAttribute.New ? "new" : "existing")
            .WithAttribute("fingerprint", Fingerprints)
            .WithAttribute("3ge2ae", E2aeIndication is null ? [] : [E2aeIndication]);
        if (Path is { } path)
        {
            media = media.WithAttribute("path", string.Join(' ', path));
        }
        if (Cema is { } cema)
        {
            media = cema ? media.WithAttribute("msrp-cema", [null]) : media.WithoutAttribute("msrp-cema");
        }
        // RFC 8866 §5.7: the media-level c= overrides the session's; when the MSRP stream is the only media and
        // uses the session's c=, that one is replaced so the far side never sees the other side's address.
        if (media.Connection is null && session.Media.Count == 1 && session.Connection is not null)
        {
            session = session.WithConnection(Connection);
        }
        else
        {
            media = media.WithConnection(Connection);
        }
        return session.WithMedia(source.Index, media).ToString();
    }
}
