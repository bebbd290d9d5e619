using System.Diagnostics.CodeAnalysis;
using System.Net;
using Megaco.Mgc.Results;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Sdp;

/// <summary>
/// An SDP body from SIP, read and checked: the session, and its MSRP media description with the connection
/// that applies to it. Everything from SIP is hostile: a body that is not well-formed SDP within
/// <see cref="SessionDescription"/>'s limits, or whose MSRP attributes are malformed, is a
/// <see cref="MgcFailureKind.MalformedSdp"/>; a well-formed one without a usable MSRP stream is
/// <see cref="MgcFailureKind.NotAcceptable"/>.
/// </summary>
public sealed record ReceivedMedia(SessionDescription Session, int Index, MsrpMedia Msrp, ConnectionData Connection, IPAddress Address, int Port)
{
    public MediaDescription Media => Session.Media[Index];

    /// <summary>Attributes of an MSRP media description the MG needs in Remote (contract: Remote).</summary>
    private static readonly string[] RemoteAttributes = ["setup", "connection", "fingerprint", "path", "msrp-cema"];

    public static bool TryRead(string? text, [NotNullWhen(true)] out ReceivedMedia? media, [NotNullWhen(false)] out MgcFailure? failure)
    {
        media = null;
        if (text is null)
        {
            failure = new MgcFailure(MgcFailureKind.MalformedSdp, "no SDP body");
            return false;
        }
        if (!SessionDescription.TryParse(text, out var session, out var error))
        {
            failure = new MgcFailure(MgcFailureKind.MalformedSdp, error);
            return false;
        }
        if (text.AsSpan().IndexOfAnyInRange('\0', '\x08') >= 0 || text.AsSpan().IndexOfAnyInRange('\x0b', '\x0c') >= 0
            || text.AsSpan().IndexOfAnyInRange('\x0e', '\x1f') >= 0 || text.Contains('\x7f') || HasBareCarriageReturn(text))
        {
            // RFC 8866 §5: no NUL in SDP; other controls have no place in it either, and an H.248 octetString cannot carry NUL.
            failure = new MgcFailure(MgcFailureKind.MalformedSdp, "SDP holds a control character");
            return false;
        }
        if (!MsrpMedia.TryRead(session, out var msrp, out var index, out error))
        {
            failure = new MgcFailure(index < 0 ? MgcFailureKind.NotAcceptable : MgcFailureKind.MalformedSdp, error);
            return false;
        }
        var description = session.Media[index];
        if (session.ConnectionOf(description) is not { } connection || msrp.Address is not { } address)
        {
            // RFC 8866 §5.7: c= is required at session or media level; the MG needs an IP address to admit or reach.
            failure = new MgcFailure(MgcFailureKind.NotAcceptable, "the MSRP stream has no c= line with an IP address");
            return false;
        }
        if (connection.NetworkType != "IN" || connection.AddressType is not ("IP4" or "IP6")
            || (connection.AddressType == "IP6") != (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            failure = new MgcFailure(MgcFailureKind.MalformedSdp, "c=" + connection + " is not IN IP4 or IN IP6 with a matching address");
            return false;
        }
        if (msrp.Port is not { } port)
        {
            failure = new MgcFailure(MgcFailureKind.MalformedSdp, "m= port is not a number");
            return false;
        }
        if (port == 0)
        {
            // RFC 3264 §6: port zero rejects (or in an offer disables) the stream.
            failure = new MgcFailure(MgcFailureKind.NotAcceptable, "the MSRP stream is rejected (port 0)");
            return false;
        }
        foreach (var fingerprint in msrp.Fingerprints)
        {
            if (!SdpFingerprint.TryParse(fingerprint, out _))
            {
                failure = new MgcFailure(MgcFailureKind.MalformedSdp, "a=fingerprint:" + fingerprint + " is not '<hash> <hex pairs>' with a hash of RFC 8122 §5 and its length");
                return false;
            }
        }
        foreach (var uri in msrp.Path)
        {
            if (!IsMsrpUri(uri))
            {
                failure = new MgcFailure(MgcFailureKind.MalformedSdp, "a=path holds '" + uri + "', not an msrp or msrps URI (RFC 4975 §9)");
                return false;
            }
        }
        media = new ReceivedMedia(session, index, msrp, connection, address, port);
        failure = null;
        return true;
    }

    /// <summary>
    /// The Remote descriptor for this media (contract: Remote carries the peer's media as received in SIP). Without
    /// a=setup, the role RFC 4145 §4 implies (active in an offer, passive in an answer) is written out, so the MG
    /// never has to know which of the two it is reading.
    /// </summary>
    public SessionDescription ToRemote(SetupRole impliedSetup)
    {
        var lines = new List<Megaco.Protocol.Model.SdpLine>
        {
            new("v=0"),
            new("c=" + Connection),
            Media.MediaLine,
        };
        foreach (var line in Media.Lines)
        {
            if (line.AttributeName is { } name && RemoteAttributes.Contains(name))
            {
                lines.Add(line);
            }
        }
        if (Msrp.Setup is null)
        {
            lines.Add(new("a=setup:" + SetupRoles.ToAttributeValue(impliedSetup)));
        }
        return SessionDescription.FromLines(new Megaco.Protocol.Model.ValueList<Megaco.Protocol.Model.SdpLine>(lines));
    }

    private static bool HasBareCarriageReturn(string text)
    {
        for (var i = text.IndexOf('\r'); i >= 0; i = text.IndexOf('\r', i + 1))
        {
            if (i + 1 == text.Length || text[i + 1] != '\n')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>RFC 4975 §9: <c>MSRP-URI = msrp-scheme "://" authority ["/" session-id] ";" transport</c>, checked loosely.</summary>
    internal static bool IsMsrpUri(string uri) =>
        uri.Length <= 1024
        && (uri.StartsWith("msrp://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("msrps://", StringComparison.OrdinalIgnoreCase))
        && uri.Contains(';')
        && !uri.Any(char.IsWhiteSpace);
}
