using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Megaco.Protocol.Transport;

/// <summary>
/// Where an H.248 peer listens, written <c>udp://host:port</c> or <c>tcp://host:port</c>; IPv6 hosts go
/// in brackets (<c>udp://[::1]:2944</c>). The host is an IP literal or <c>localhost</c>; the port defaults
/// to 2944, the text-encoding port of H.248.1 Annex D.
/// </summary>
public sealed record MegacoEndpoint(MegacoTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>H.248.1 Annex D.1/D.2: port 2944 for text-encoded messages.</summary>
    public const int DefaultTextPort = 2944;

    public static MegacoEndpoint Udp(IPEndPoint endPoint) => new(MegacoTransportKind.Udp, endPoint);

    public static MegacoEndpoint Tcp(IPEndPoint endPoint) => new(MegacoTransportKind.Tcp, endPoint);

    public static MegacoEndpoint Parse(string text) =>
        TryParse(text, out var endpoint, out var error) ? endpoint : throw new FormatException($"'{text}' is not an H.248 endpoint: {error}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out MegacoEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty";
            return false;
        }
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            error = "expected udp:// or tcp://";
            return false;
        }
        var scheme = text.AsSpan(0, schemeEnd);
        MegacoTransportKind kind;
        if (scheme.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            kind = MegacoTransportKind.Udp;
        }
        else if (scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            kind = MegacoTransportKind.Tcp;
        }
        else
        {
            error = $"unknown transport '{scheme}', expected udp or tcp";
            return false;
        }
        var rest = text.AsSpan(schemeEnd + 3);
        if (rest.Length > 0 && rest[^1] == '/')
        {
            rest = rest[..^1];
        }
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (rest.StartsWith("["))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                error = "unclosed '[' in IPv6 host";
                return false;
            }
            host = rest[1..close];
            var after = rest[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    error = "expected ':' after ']'";
                    return false;
                }
                port = after[1..];
                if (port.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }
        }
        else
        {
            var colon = rest.IndexOf(':');
            if (colon >= 0 && rest[(colon + 1)..].Contains(':'))
            {
                error = "an IPv6 host must be written in brackets";
                return false;
            }
            host = colon < 0 ? rest : rest[..colon];
            if (colon >= 0)
            {
                port = rest[(colon + 1)..];
                if (port.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }
        }
        if (host.IsEmpty)
        {
            error = "empty host";
            return false;
        }
        IPAddress? address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address))
        {
            error = $"'{host}' is not an IP address";
            return false;
        }
        if (rest.StartsWith("[") != (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            error = "brackets are for IPv6 addresses only";
            return false;
        }
        var portNumber = DefaultTextPort;
        if (!port.IsEmpty && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > IPEndPoint.MaxPort))
        {
            error = $"'{port}' is not a port number (0-65535)";
            return false;
        }
        endpoint = new MegacoEndpoint(kind, new IPEndPoint(address, portNumber));
        error = null;
        return true;
    }

    public override string ToString() =>
        (Transport == MegacoTransportKind.Udp ? "udp://" : "tcp://") + EndPoint.ToString();
}
