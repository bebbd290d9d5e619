using System.Diagnostics.CodeAnalysis;

namespace Megaco.Protocol.Sdp;

/// <summary>
/// SDP <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c> (RFC 8866 §5.7). In an H.248 Local
/// descriptor the address may be <c>$</c>, asking the MG to choose it (H.248.1 Annex C).
/// </summary>
public sealed record ConnectionData(string NetworkType, string AddressType, string Address)
{
    public const string Choose = "$";

    public static ConnectionData ForAddress(System.Net.IPAddress address) =>
        new("IN", address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    public bool IsChoose => Address == Choose;

    public static bool TryParse(string value, [NotNullWhen(true)] out ConnectionData? connection)
    {
        connection = null;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            return false;
        }
        connection = new ConnectionData(parts[0], parts[1], parts[2]);
        return true;
    }

    /// <summary>The address as an IP address; false for <c>$</c>, a domain name, or a multicast TTL form.</summary>
    public bool TryGetIPAddress([NotNullWhen(true)] out System.Net.IPAddress? address) =>
        System.Net.IPAddress.TryParse(Address, out address) && Address.IndexOf('/') < 0;

    public override string ToString() => NetworkType + " " + AddressType + " " + Address;
}
