using System.Net;
using Megaco.Mg.Tls;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Contexts;

/// <summary>
/// What the Local and Remote descriptors of a termination ask of its bearer (the Iq control contract): the
/// MG's setup role, the peer's address and port, and the SDP to fill and return. Built by <see cref="Read"/>,
/// which refuses what the MG cannot do with the exact H.248.8 code.
/// </summary>
internal sealed record TerminationMedia
{
    private const string ChoosePath = "$";

    /// <summary>RFC 4145 §4.1: an active endpoint's m= port is 9 (discard); it never listens.</summary>
    public const int ActivePort = 9;

    private TerminationMedia(LocalRemoteDescriptor requested, SessionDescription local, int index, MsrpMedia localMedia, bool chooseSetup, MsrpMedia? remote,
        FingerprintHash? ownFingerprintHash, IReadOnlyList<TlsFingerprint> remoteFingerprints)
    {
        OwnFingerprintHash = ownFingerprintHash;
        RemoteFingerprints = remoteFingerprints;
        LocalRequested = requested;
        LocalSdp = local;
        LocalIndex = index;
        LocalMedia = localMedia;
        ChooseSetup = chooseSetup;
        Remote = remote;
        Role = !chooseSetup && localMedia.Setup is { } own
            ? own
            // Contract: "$" or absent = answer the Remote's a=setup (RFC 4145 §4.1); an offer without
            // a=setup is active (RFC 4145 §4), so the answer is passive; no Remote yet = passive.
            : remote is null ? SetupRole.Passive : SetupRoles.AnswerTo(remote.Setup ?? SetupRole.Active);
    }

    /// <summary>Local as the MGC wrote it, kept so a later Modify with only a Remote can answer it anew.</summary>
    public LocalRemoteDescriptor LocalRequested { get; }

    public SessionDescription LocalSdp { get; }

    public int LocalIndex { get; }

    public MsrpMedia LocalMedia { get; }

    /// <summary>Local had <c>a=setup:$</c> or no a=setup: the MG chose <see cref="Role"/>.</summary>
    public bool ChooseSetup { get; }

    public MsrpMedia? Remote { get; }

    /// <summary>The MG's own TCP role on this leg.</summary>
    public SetupRole Role { get; }

    /// <summary><c>a=path:$</c> in Local: the MG is MSRP-aware on this leg and fills in its own URI (the contract's B2BUA mode).</summary>
    public bool IsMsrpAware => LocalMedia.Path.Count > 0;

    /// <summary>
    /// <c>a=fingerprint:&lt;hash&gt; $</c> in Local: the MG terminates TLS with its certificate and fills in its
    /// fingerprint with this hash (the contract; RFC 8122 §5). Null otherwise.
    /// </summary>
    public FingerprintHash? OwnFingerprintHash { get; }

    /// <summary>The Remote's <c>a=fingerprint</c> values (RFC 8122 §5): the peer's certificate must match one.</summary>
    public IReadOnlyList<TlsFingerprint> RemoteFingerprints { get; }

    /// <summary>Whether this leg needs a rented port (the MG listens).</summary>
    public bool Listens => SetupRoles.Listens(Role);

    /// <summary>The Remote's c= and m= port; null without a Remote or without an IP address in it.</summary>
    public IPEndPoint? RemoteEndPoint =>
        Remote is { Address: { } address } ? new IPEndPoint(address, Remote.Port ?? 0) : null;

    /// <summary>Reads Local (required) and Remote (optional) into a plan.</summary>
    public static TerminationMedia Read(LocalRemoteDescriptor local, LocalRemoteDescriptor? remote)
    {
        var session = SessionDescription.FromDescriptor(local);
        var index = IndexOfMsrp(session);
        if (index < 0)
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedMediaType, "Local has no m=message line with TCP/MSRP or TCP/TLS/MSRP");
        }
        var description = session.Media[index];
        var chooseSetup = description.Attribute("setup") is null or ConnectionData.Choose;
        var readable = description.Attribute("setup") == ConnectionData.Choose
            ? session.WithMedia(index, description.WithoutAttribute("setup"))
            : session;
        if (!MsrpMedia.TryRead(readable, out var localMedia, out _, out var error))
        {
            CommandFailedException.Throw(H248ErrorCode.InvalidSdpSyntax, "Local: " + error);
        }
        RefuseWhatIsNotImplemented(localMedia);
        var ownHash = ReadOwnFingerprint(localMedia);

        MsrpMedia? remoteMedia = null;
        if (remote is not null && !remote.Lines.IsEmpty)
        {
            var remoteSession = SessionDescription.FromDescriptor(remote);
            if (!MsrpMedia.TryRead(remoteSession, out remoteMedia, out _, out var remoteError))
            {
                CommandFailedException.Throw(
                    IndexOfMsrp(remoteSession) < 0 ? H248ErrorCode.UnsupportedMediaType : H248ErrorCode.InvalidSdpSyntax,
                    "Remote: " + remoteError);
            }
            if (remoteMedia.Address is null)
            {
                CommandFailedException.Throw(H248ErrorCode.InvalidSdpSyntax, "Remote: c= carries no IP address");
            }
            if (remoteMedia.IsTls != localMedia.IsTls)
            {
                CommandFailedException.Throw(H248ErrorCode.ConflictingPropertyValues, "Local and Remote disagree on TCP/MSRP versus TCP/TLS/MSRP");
            }
        }
        return new TerminationMedia(local, readable, index, localMedia, chooseSetup, remoteMedia, ownHash, ReadRemoteFingerprints(remoteMedia));
    }

    /// <summary>The contract's <c>a=fingerprint:&lt;hash&gt; $</c>: one attribute, a hash of RFC 8122 §5, and <c>$</c>.</summary>
    private static FingerprintHash? ReadOwnFingerprint(MsrpMedia local)
    {
        if (local.Fingerprints.Count == 0)
        {
            return null;
        }
        if (!local.IsTls)
        {
            CommandFailedException.Throw(H248ErrorCode.ConflictingPropertyValues, "a=fingerprint in Local needs TCP/TLS/MSRP");
        }
        var value = local.Fingerprints.Count == 1 ? local.Fingerprints[0].Trim() : "";
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var hash = default(FingerprintHash);
        if (space <= 0 || value[(space + 1)..].Trim() != ConnectionData.Choose
            || !SdpFingerprint.TryParseHash(value.AsSpan(0, space), out hash))
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue,
                "a=fingerprint in Local is one '<hash> $' with hash sha-1, sha-224, sha-256, sha-384 or sha-512");
        }
        return hash;
    }

    /// <summary>Every Remote <c>a=fingerprint</c> must parse (RFC 8122 §5); a few are kept, not an unbounded list.</summary>
    private static IReadOnlyList<TlsFingerprint> ReadRemoteFingerprints(MsrpMedia? remote)
    {
        if (remote is null || remote.Fingerprints.Count == 0)
        {
            return [];
        }
        if (remote.Fingerprints.Count > TlsEndpointOptions.MaxRemoteFingerprints)
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue,
                "Remote has more than " + TlsEndpointOptions.MaxRemoteFingerprints + " a=fingerprint attributes");
        }
        var parsed = new TlsFingerprint[remote.Fingerprints.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            if (!TlsFingerprint.TryParse(remote.Fingerprints[i], out var fingerprint))
            {
                CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue,
                    "Remote a=fingerprint " + (i + 1) + " is not '<hash> <hex pairs>' with a hash of RFC 8122 section 5 (md2, md5 refused)");
            }
            parsed[i] = fingerprint;
        }
        return parsed;
    }

    /// <summary>a=path in Local is only the MG's own URI to fill in.</summary>
    private static void RefuseWhatIsNotImplemented(MsrpMedia local)
    {
        if (local.Path.Count > 0 && local.Path is not [ChoosePath])
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "a=path in Local is $ (the MG's URI) or absent");
        }
    }

    /// <summary>
    /// The MG's MSRP URI on this leg (RFC 4975 §6: <c>msrp://host:port/session-id;tcp</c>, <c>msrps</c> on a
    /// TLS leg), with the leg's current port; <paramref name="sessionId"/> is the termination's.
    /// </summary>
    public static string OwnUri(IPAddress address, int port, string sessionId, bool secure)
    {
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return (secure ? "msrps://" : "msrp://") + host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + sessionId + ";tcp";
    }

    /// <summary>
    /// The Local descriptor as returned: c= with the bearer address, m= with the port, a=setup with the role,
    /// a=path with <paramref name="ownUri"/> in MSRP-aware mode, and a=fingerprint with <paramref name="ownFingerprint"/>
    /// (the MG's certificate in the hash Local named) when the MG terminates TLS with a certificate.
    /// </summary>
    public LocalRemoteDescriptor Filled(IPAddress address, int port, string? ownUri = null, TlsFingerprint? ownFingerprint = null)
    {
        var connection = ConnectionData.ForAddress(address);
        var media = LocalSdp.Media[LocalIndex];
        var session = LocalSdp;
        if (media.Connection is not null || LocalSdp.Connection is null)
        {
            media = media.WithConnection(connection);
        }
        else
        {
            session = session.WithConnection(connection);
        }
        media = media.WithPort(port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithAttribute("setup", SetupRoles.ToAttributeValue(Role));
        if (IsMsrpAware && ownUri is not null)
        {
            media = media.WithAttribute("path", ownUri);
        }
        if (OwnFingerprintHash is not null && ownFingerprint is not null)
        {
            media = media.WithAttribute("fingerprint", ownFingerprint.ToString());
        }
        return session.WithMedia(LocalIndex, media).ToDescriptor();
    }

    private static int IndexOfMsrp(SessionDescription session)
    {
        for (var i = 0; i < session.Media.Count; i++)
        {
            if (session.Media[i].Media == "message" && MsrpMedia.IsMsrpProtocol(session.Media[i].Protocol))
            {
                return i;
            }
        }
        return -1;
    }
}
