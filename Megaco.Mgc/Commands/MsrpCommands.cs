using System.Globalization;
using Megaco.Mgc.Sessions;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Commands;

/// <summary>The H.248 commands the MGC sends for MSRP terminations, per the Iq control contract.</summary>
internal static class MsrpCommands
{
    /// <summary>Private package 0x8001 (contract: Events): TCP bearer establishment, failure, loss.</summary>
    public const string TcpPackage = "tcpx";

    /// <summary>Private package 0x8002 (contract: Events, LocalControl): TLS session control and events.</summary>
    public const string TlsPackage = "tlsx";

    /// <summary>
    /// H.248.37 latching on (contract: LocalControl <c>ipnapt/latch</c>). The contract says on/true; the value sent is
    /// <c>latch</c>, the enumeration value in profiles/packages/ipnapt.json, so that the MG's ProfileValidator accepts it.
    /// </summary>
    public const string LatchValue = "latch";

    public static CommandRequest Add(LegRequest leg, SessionDescription? remote) =>
        new(new AmmRequest(AmmKind.Add, [TerminationId.Choose], [Media(leg, Local(leg), remote, LocalControl(leg)), Events(leg)]));

    /// <summary>Modify with a new Remote (an answer or a re-offer), and LocalControl when latching is switched on now.</summary>
    public static CommandRequest ModifyRemote(TerminationId termination, SessionDescription remote, LegRequest? latchNow = null) =>
        new(new AmmRequest(AmmKind.Modify, [termination],
            [Media(null, null, remote, latchNow is null ? null : LocalControl(latchNow))]));

    /// <summary>Subtract asking for the statistics (H.248.1 §7.2.4: Audit{Statistics}).</summary>
    public static CommandRequest Subtract(TerminationId termination) =>
        new(new SubtractRequest([termination], new AuditDescriptor(AuditTokens.Statistics)));

    /// <summary>The Local descriptor of the contract: the MG fills every <c>$</c>.</summary>
    public static SessionDescription Local(LegRequest leg)
    {
        var lines = new List<SdpLine>
        {
            new("v=0"),
            new("c=IN " + leg.AddressType + " " + ConnectionData.Choose),
            new("m=message " + MediaDescription.ChoosePort + " " + leg.Protocol + " *"),
            // Contract: a=setup:$ lets the MG answer the Remote's a=setup when it comes (RFC 4145 §4.1) and listen
            // until then, which is what offering actpass means for the MG.
            new("a=setup:" + (leg.Setup == SetupRole.ActPass ? ConnectionData.Choose : SetupRoles.ToAttributeValue(leg.Setup))),
        };
        if (leg.Security == LegSecurity.Certificate)
        {
            lines.Add(new SdpLine("a=fingerprint:" + leg.FingerprintHash + " " + ConnectionData.Choose));
        }
        if (leg.MsrpAware)
        {
            lines.Add(new SdpLine("a=path:" + ConnectionData.Choose));
        }
        return SessionDescription.FromLines(new ValueList<SdpLine>(lines));
    }

    private static MediaDescriptor Media(LegRequest? leg, SessionDescription? local, SessionDescription? remote, LocalControlDescriptor? control) =>
        new(Stream: new StreamParms(control, local?.ToDescriptor(), remote?.ToDescriptor()));

    private static LocalControlDescriptor LocalControl(LegRequest leg)
    {
        var properties = new List<PropertyParm>();
        if (leg.Latching)
        {
            properties.Add(PropertyParm.Of("ipnapt", "latch", LatchValue));
        }
        if (leg.Security == LegSecurity.PreSharedKey && leg.PreSharedKey is { } psk)
        {
            properties.Add(PropertyParm.Of(TlsPackage, "pskid", psk.Identity));
            properties.Add(PropertyParm.Of(TlsPackage, "psk", Convert.ToHexStringLower(psk.Key.Span)));
        }
        // RFC 4975 §8.9: an SDP direction attribute restricts SEND requests, not the connection, which carries
        // responses and REPORTs both ways; so the stream stays SendReceive whatever a=sendonly/recvonly says.
        return new LocalControlDescriptor(StreamMode.SendReceive, Properties: new ValueList<PropertyParm>(properties));
    }

    private static EventsDescriptor Events(LegRequest leg)
    {
        var events = new List<RequestedEvent>
        {
            new(new PkgdName(TcpPackage, "est")),
            new(new PkgdName(TcpPackage, "fail")),
            new(new PkgdName(TcpPackage, "lost")),
        };
        if (leg.TerminatesTls)
        {
            events.Add(new RequestedEvent(new PkgdName(TlsPackage, "est")));
            events.Add(new RequestedEvent(new PkgdName(TlsPackage, "fail")));
        }
        if (leg.InactivityTimeout is { } timeout)
        {
            // H.248.40: ipstop with its detection time dt in milliseconds.
            var ms = (ulong)Math.Clamp(timeout.TotalMilliseconds, 1, uint.MaxValue);
            events.Add(new RequestedEvent(new PkgdName("adid", "ipstop"),
                Parameters: [new PropertyParm(new PkgdName("", "dt"), [ms.ToString(CultureInfo.InvariantCulture)])]));
        }
        return new EventsDescriptor(leg.EventRequestId, new ValueList<RequestedEvent>(events));
    }
}
