using System.Net;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// One ephemeral MSRP termination (<c>msrp/N</c>): what the MGC set on it and the bearer that carries it.
/// Touched only under the engine's lock.
/// </summary>
internal sealed class MgTermination(TerminationId id, MgContext context, long created)
{
    public TerminationId Id { get; } = id;

    public MgContext Context { get; set; } = context;

    /// <summary>When it was added (timestamp of the engine's clock), for nt/dur.</summary>
    public long Created { get; } = created;

    public StreamMode Mode { get; set; } = StreamMode.SendReceive;

    public bool Latching { get; set; }

    public ServiceState ServiceState { get; set; } = ServiceState.InService;

    public TerminationMedia? Media { get; set; }

    /// <summary>tlsx/pskid + tlsx/psk: the MG terminates TLS with this pre-shared key. Never returned nor logged.</summary>
    public TlsPsk? Psk { get; set; }

    /// <summary>tlsx/minver as set; null is its default, TLS 1.2.</summary>
    public TlsVersion? MinVersion { get; set; }

    /// <summary>The MG's certificate on this leg, taken once Local asks for a fingerprint.</summary>
    public MgCertificate? Certificate { get; set; }

    /// <summary>The established, verified TLS session on this leg, until the relay owns it.</summary>
    public TlsLeg? Tls { get; set; }

    /// <summary>
    /// The contract's TLS termination: TCP/TLS/MSRP with <c>a=fingerprint:&lt;hash&gt; $</c> in Local or a PSK.
    /// TCP/TLS/MSRP without either is e2e: the TLS bytes are relayed untouched.
    /// </summary>
    public bool TerminatesTls => Media is { LocalMedia.IsTls: true } media && (media.OwnFingerprintHash is not null || Psk is not null);

    /// <summary>The Local descriptor as last returned to the MGC (filled).</summary>
    public LocalRemoteDescriptor? Local { get; set; }

    public LocalRemoteDescriptor? Remote { get; set; }

    public EventsDescriptor? Events { get; set; }

    /// <summary>The rented port while no bearer holds it (listening role waiting for its Remote).</summary>
    public BearerPortLease? Lease { get; set; }

    public TcpBearer? Bearer { get; set; }

    public CancellationTokenSource? Establishing { get; set; }

    public Task? EstablishTask { get; set; }

    public BearerPhase Phase { get; set; }

    /// <summary>The established connection's peer (the latched source with latching).</summary>
    public IPEndPoint? PeerEndPoint { get; set; }

    /// <summary>The side this termination holds in its context's relay, while one runs.</summary>
    public RelaySide? Side { get; set; }

    /// <summary>This participant's connection while it is a leg of its context's conference.</summary>
    public DataPath.Conference.BearerPipes? Pipes { get; set; }

    /// <summary>Octets sent and received by relays and conference legs that have ended.</summary>
    public long SentBefore { get; set; }

    public long ReceivedBefore { get; set; }

    public bool Removed { get; set; }

    /// <summary>The session-id of the MG's MSRP URI on this leg (RFC 4975 §6: unguessable, 80 bits or more of randomness).</summary>
    public string SessionId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// The MG's MSRP URI on this leg as first returned in Local (MSRP-aware mode). Kept for the termination's life:
    /// the peer was given it in SDP and matches To-Path and From-Path against it (RFC 4975 §6), even after the leg
    /// turns active and gives its listening port back.
    /// </summary>
    public string? OwnUri { get; set; }

    /// <summary>The port in the Local descriptor: the listening port, or 9 for an active or held leg.</summary>
    public int LocalPort => Lease?.EndPoint.Port ?? Bearer?.ListenEndPoint?.Port ?? TerminationMedia.ActivePort;

    public long OctetsSent => SentBefore + (Side is { } side && Context.Relay is { } relay ? relay.BytesSent(side) : 0) + (Pipes?.BytesSent ?? 0);

    public long OctetsReceived => ReceivedBefore + (Side is { } side && Context.Relay is { } relay ? relay.BytesReceived(side) : 0) + (Pipes?.BytesReceived ?? 0);

    /// <summary>The RequestedEvent for <paramref name="name"/> (or its package wildcard) if the MGC asked for it.</summary>
    public RequestedEvent? Requested(PkgdName name)
    {
        if (Events is not { RequestId: not null } events)
        {
            return null;
        }
        foreach (var requested in events.Events)
        {
            if (string.Equals(requested.Name.Package, name.Package, StringComparison.OrdinalIgnoreCase)
                && (requested.Name.IsItemWildcard || string.Equals(requested.Name.Item, name.Item, StringComparison.OrdinalIgnoreCase)))
            {
                return requested;
            }
        }
        return null;
    }
}
