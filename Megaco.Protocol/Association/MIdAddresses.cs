using System.Diagnostics.CodeAnalysis;
using System.Net;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Association;

/// <summary>
/// Where to send to an entity named by an mId (MgcIdToTry) or a ServiceChangeAddress (H.248.1 §7.2.8): over the
/// transport in use, at the address and port written, the port defaulting to 2944 (Annex D). Only IP literals and
/// <c>localhost</c> resolve: a domain name would need DNS on the control path, which the association does not do.
/// </summary>
public static class MIdAddresses
{
    public static bool TryResolve(MId mid, MegacoTransportKind transport, [NotNullWhen(true)] out MegacoEndpoint? endpoint)
    {
        endpoint = null;
        IPAddress? address = mid.Kind switch
        {
            MIdKind.IPv4 or MIdKind.IPv6 => IPAddress.TryParse(mid.Address, out var literal) ? literal : null,
            MIdKind.DomainName when string.Equals(mid.Address, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => null,
        };
        if (address is null)
        {
            return false;
        }
        endpoint = new MegacoEndpoint(transport, new IPEndPoint(address, mid.Port ?? MegacoEndpoint.DefaultTextPort));
        return true;
    }

    /// <summary>
    /// ServiceChangeAddress of a reply: an mId, or a port on the host already in use (<paramref name="current"/>);
    /// one that does not resolve leaves <paramref name="current"/>.
    /// </summary>
    public static MegacoEndpoint Apply(ServiceChangeAddress address, MegacoEndpoint current)
    {
        if (address.MId is { } mid)
        {
            return TryResolve(mid, current.Transport, out var endpoint) ? endpoint : current;
        }
        if (address.Port is { } port && port != 0)
        {
            return current with { EndPoint = new IPEndPoint(current.EndPoint.Address, port) };
        }
        return current;
    }

    /// <summary>The mId form of a local endpoint, to announce as ServiceChangeAddress or MgcIdToTry.</summary>
    public static MId ToMId(MegacoEndpoint endpoint)
    {
        var ip = endpoint.EndPoint.Address.IsIPv4MappedToIPv6 ? endpoint.EndPoint.Address.MapToIPv4() : endpoint.EndPoint.Address;
        var port = (ushort)endpoint.EndPoint.Port;
        var text = ip.ToString();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? MId.IPv6(text, port)
            : MId.IPv4(text, port);
    }
}
