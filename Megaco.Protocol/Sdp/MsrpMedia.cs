using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Megaco.Protocol.Sdp;

/// <summary>
/// What an MSRP media description says (RFC 4975 §8.1, RFC 4145, RFC 6135, RFC 6714, RFC 8122), read from
/// one <c>m=message</c> line and its attributes: the typed view both the MG and the MGC act on.
/// </summary>
public sealed record MsrpMedia
{
    public const string TcpProtocol = "TCP/MSRP";
    public const string TlsProtocol = "TCP/TLS/MSRP";

    /// <summary><c>TCP/TLS/MSRP</c>: the MSRP session runs over TLS (RFC 4975 §8.1).</summary>
    public required bool IsTls { get; init; }

    /// <summary>The port of the m= line; null when it is <c>$</c> (to be chosen by the MG).</summary>
    public int? Port { get; init; }

    /// <summary>The address of the effective c= line as written (an IP address, a domain name, or <c>$</c>); null when absent.</summary>
    public string? ConnectionAddress { get; init; }

    /// <summary>The address of the effective c= line; null when it is <c>$</c>, absent, or not an IP address.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>The MSRP URIs of <c>a=path</c>, in order (RFC 4975 §8.2); empty when absent.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary><c>a=setup</c> (RFC 4145 §4); null when absent (RFC 6135 §4: then the offerer is active).</summary>
    public SetupRole? Setup { get; init; }

    /// <summary><c>a=connection</c> (RFC 4145 §5); null when absent.</summary>
    public TcpConnectionAttribute? ConnectionAttribute { get; init; }

    /// <summary>Each <c>a=fingerprint</c> value as written (<c>sha-256 AB:CD:…</c>, RFC 8122 §5).</summary>
    public IReadOnlyList<string> Fingerprints { get; init; } = [];

    /// <summary><c>a=msrp-cema</c> (RFC 6714 §4): the endpoint supports connection establishment for media anchoring.</summary>
    public bool Cema { get; init; }

    /// <summary>
    /// Reads the first <c>m=message</c> description with an MSRP protocol. False when there is none, or
    /// when an attribute it carries is malformed (the error says which): a bad SDP is refused, not guessed at.
    /// </summary>
    public static bool TryRead(SessionDescription session, [NotNullWhen(true)] out MsrpMedia? media, out int index, [NotNullWhen(false)] out string? error)
    {
        media = null;
        index = -1;
        for (var i = 0; i < session.Media.Count; i++)
        {
            var description = session.Media[i];
            if (description.Media != "message" || !IsMsrpProtocol(description.Protocol))
            {
                continue;
            }
            index = i;
            return TryRead(description, session.ConnectionOf(description), out media, out error);
        }
        error = "no m=message line with TCP/MSRP or TCP/TLS/MSRP";
        return false;
    }

    public static bool IsMsrpProtocol(string protocol) =>
        protocol.Equals(TcpProtocol, StringComparison.OrdinalIgnoreCase) || protocol.Equals(TlsProtocol, StringComparison.OrdinalIgnoreCase);

    private static bool TryRead(MediaDescription description, ConnectionData? connection, [NotNullWhen(true)] out MsrpMedia? media, [NotNullWhen(false)] out string? error)
    {
        media = null;
        int? port = null;
        if (description.Port != MediaDescription.ChoosePort)
        {
            if (!description.TryGetPort(out var number))
            {
                error = "m= port '" + description.Port + "' is not a port number";
                return false;
            }
            port = number;
        }
        IPAddress? address = null;
        if (connection is { IsChoose: false } && connection.TryGetIPAddress(out var ip))
        {
            address = ip;
        }
        SetupRole? setup = null;
        if (description.Attribute("setup") is { } setupValue)
        {
            if (!SetupRoles.TryParse(setupValue, out var role))
            {
                error = "a=setup:" + setupValue + " is not active, passive, actpass or holdconn";
                return false;
            }
            setup = role;
        }
        TcpConnectionAttribute? reuse = null;
        if (description.Attribute("connection") is { } connectionValue)
        {
            reuse = connectionValue switch
            {
                "new" => TcpConnectionAttribute.New,
                "existing" => TcpConnectionAttribute.Existing,
                _ => null,
            };
            if (reuse is null)
            {
                error = "a=connection:" + connectionValue + " is not new or existing";
                return false;
            }
        }
        var path = description.Attribute("path") is { } pathValue
            ? pathValue.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        media = new MsrpMedia
        {
            IsTls = description.Protocol.Equals(TlsProtocol, StringComparison.OrdinalIgnoreCase),
            Port = port,
            ConnectionAddress = connection?.Address,
            Address = address,
            Path = path,
            Setup = setup,
            ConnectionAttribute = reuse,
            Fingerprints = description.Attributes("fingerprint"),
            Cema = description.HasAttribute("msrp-cema"),
        };
        error = null;
        return true;
    }
}
