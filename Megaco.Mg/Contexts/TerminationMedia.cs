using System.Net;
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

    private TerminationMedia(LocalRemoteDescriptor requested, SessionDescription local, int index, MsrpMedia localMedia, bool chooseSetup, MsrpMedia? remote)
    {
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
        return new TerminationMedia(local, readable, index, localMedia, chooseSetup, remoteMedia);
    }

    /// <summary>
    /// TLS terminated by the MG and MSRP-aware mode are not plugged in yet. This is the one place that
    /// says so: e2e TCP/TLS/MSRP (no a=fingerprint in Local) is relayed untouched and works.
    /// </summary>
    private static void RefuseWhatIsNotImplemented(MsrpMedia local)
    {
        if (local.Fingerprints.Count > 0)
        {
            CommandFailedException.Throw(H248ErrorCode.NotImplemented, "TLS termination by the MG (a=fingerprint in Local) is not implemented yet");
        }
        if (local.Path.Count > 0 && local.Path is not [ChoosePath])
        {
            CommandFailedException.Throw(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, "a=path in Local is $ (the MG's URI) or absent");
        }
        if (local.Path.Count > 0 && local.IsTls)
        {
            // MSRP-aware over TLS needs the MG to terminate TLS, which it does not yet.
            CommandFailedException.Throw(H248ErrorCode.NotImplemented, "TLS termination by the MG (MSRP-aware TCP/TLS/MSRP) is not implemented yet");
        }
    }

    /// <summary>
    /// The MG's MSRP URI on this leg (RFC 4975 §6: <c>msrp://host:port/session-id;tcp</c>), with the leg's
    /// current port; <paramref name="sessionId"/> is the termination's.
    /// </summary>
    public static string OwnUri(IPAddress address, int port, string sessionId)
    {
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return "msrp://" + host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + sessionId + ";tcp";
    }

    /// <summary>
    /// The Local descriptor as returned: c= with the bearer address, m= with the port, a=setup with the role,
    /// and a=path with <paramref name="ownUri"/> in MSRP-aware mode.
    /// </summary>
    public LocalRemoteDescriptor Filled(IPAddress address, int port, string? ownUri = null)
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
