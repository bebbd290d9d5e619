namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// What tshark made of one message: its protocol stack (<c>eth:ethertype:ip:udp:megaco:sdp</c>),
/// its expert items, and any <c>_ws.malformed</c> marks such as <c>[Malformed Packet: SDP]</c>.
/// </summary>
public sealed record TsharkFrame(int Index, string Protocols, IReadOnlyList<TsharkExpertInfo> ExpertInfos, IReadOnlyList<string> MalformedMarks)
{
    /// <summary>Dissected as H.248 text (Wireshark's MEGACO dissector).</summary>
    public bool IsMegaco => Protocols.Split(':').Contains("megaco");

    /// <summary>A dissector threw or flagged the frame as malformed.</summary>
    public bool IsMalformed =>
        MalformedMarks.Any(m => m.StartsWith("[Malformed", StringComparison.Ordinal)) ||
        ExpertInfos.Any(e => e.Group == TsharkExpertInfo.MalformedGroup);

    /// <summary>Expert items of Warning or Error severity; notes and chats are not problems.</summary>
    public IEnumerable<TsharkExpertInfo> Problems => ExpertInfos.Where(e => e.Severity >= TsharkSeverity.Warning);

    /// <summary>MEGACO, not malformed, no warning or error.</summary>
    public bool IsClean => IsMegaco && !IsMalformed && !Problems.Any();

    public override string ToString() =>
        $"#{Index} {Protocols}{(IsMalformed ? " MALFORMED" : "")} [{string.Join("; ", ExpertInfos.Distinct())}]";
}
