using System.Net;

namespace Megaco.Protocol.Transport;

/// <summary>
/// Who may send control messages (issue 4: "the MG from its MGC list, the MGC from known MGs or any when
/// it allows registration"). Over UDP a peer is known by address and port; over TCP by address only,
/// because a peer's connection comes from an ephemeral port (H.248.1 Annex D.2).
/// </summary>
public sealed class PeerFilter
{
    private readonly HashSet<IPEndPoint>? _udpPeers;
    private readonly HashSet<IPAddress>? _tcpPeers;

    private PeerFilter(IEnumerable<MegacoEndpoint>? peers)
    {
        if (peers is null)
        {
            return;
        }
        _udpPeers = [];
        _tcpPeers = [];
        foreach (var peer in peers)
        {
            if (peer.Transport == MegacoTransportKind.Udp)
            {
                _udpPeers.Add(Normalise(peer.EndPoint));
            }
            else
            {
                _tcpPeers.Add(Normalise(peer.EndPoint).Address);
            }
        }
    }

    /// <summary>Anyone may send (an MGC that accepts registrations).</summary>
    public static PeerFilter AllowAny { get; } = new(null);

    public static PeerFilter Only(IEnumerable<MegacoEndpoint> peers) => new(peers);

    public bool AllowsAny => _udpPeers is null;

    public bool IsAllowed(MegacoTransportKind transport, IPEndPoint remote)
    {
        if (_udpPeers is null)
        {
            return true;
        }
        var normalised = Normalise(remote);
        return transport == MegacoTransportKind.Udp ? _udpPeers.Contains(normalised) : _tcpPeers!.Contains(normalised.Address);
    }

    /// <summary>A dual-mode socket reports IPv4 peers as IPv4-mapped IPv6 addresses.</summary>
    private static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
