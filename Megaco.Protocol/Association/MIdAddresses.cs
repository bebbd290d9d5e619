using System.Net;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Association;

/// <summary>
/// Where to send to an entity named by an mId (MgcIdToTry) or a ServiceChangeAddress (H.248.1 §7.2.8): over the
/// transport in use, at the address and port written, the port defaulting to 2944 (Annex D). IP literals resolve at
/// once; a domain name (Annex B <c>domainName</c>) through a <see cref="MIdResolver"/> within a bounded time,
/// taking an address of the transport's own family (an IPv4 socket cannot send to an IPv6 address).
/// </summary>
public static class MIdAddresses
{
    /// <summary>
    /// The endpoint of <paramref name="mid"/> over <paramref name="local"/>'s transport: an IP literal at once, a
    /// domain name through <paramref name="resolver"/>; null when the name does not resolve to an address of the
    /// local endpoint's family within <paramref name="timeout"/>. Never throws for a name that does not resolve.
    /// </summary>
    public static async Task<MegacoEndpoint?> ResolveAsync(MId mid, MegacoEndpoint local, MIdResolver resolver, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mid);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(resolver);
        var port = mid.Port ?? MegacoEndpoint.DefaultTextPort;
        if (Literal(mid) is { } literal)
        {
            return new MegacoEndpoint(local.Transport, new IPEndPoint(literal, port));
        }
        if (mid.Kind != MIdKind.DomainName || mid.Address.Length == 0)
        {
            return null;
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        IPAddress[] addresses;
        try
        {
            // WaitAsync too: a resolver that ignores its token still cannot hold the caller past the bound.
            addresses = await resolver(mid.Address, bounded.Token).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or ArgumentException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
        var family = local.EndPoint.AddressFamily;
        foreach (var address in addresses)
        {
            var usable = address.IsIPv4MappedToIPv6 && family == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv4() : address;
            if (usable.AddressFamily == family)
            {
                return new MegacoEndpoint(local.Transport, new IPEndPoint(usable, port));
            }
        }
        return null;
    }

    /// <summary>
    /// ServiceChangeAddress of a reply: an mId (a domain name resolved through <paramref name="resolver"/> within
    /// <paramref name="timeout"/>), or a port on the host already in use (<paramref name="current"/>); one that does
    /// not resolve leaves <paramref name="current"/>.
    /// </summary>
    public static async Task<MegacoEndpoint> ApplyAsync(ServiceChangeAddress address, MegacoEndpoint current, MIdResolver resolver, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(current);
        if (address.MId is { } mid)
        {
            return await ResolveAsync(mid, current, resolver, timeout, cancellationToken).ConfigureAwait(false) ?? current;
        }
        return WithPort(address, current);
    }

    private static MegacoEndpoint WithPort(ServiceChangeAddress address, MegacoEndpoint current) =>
        address.Port is { } port && port != 0 ? current with { EndPoint = new IPEndPoint(current.EndPoint.Address, port) } : current;

    private static IPAddress? Literal(MId mid) => mid.Kind switch
    {
        MIdKind.IPv4 or MIdKind.IPv6 => IPAddress.TryParse(mid.Address, out var literal) ? literal : null,
        // RFC 6761 §6.3: localhost is the loopback, whatever the resolver says.
        MIdKind.DomainName when string.Equals(mid.Address, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
        _ => null,
    };

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
