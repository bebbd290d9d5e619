namespace Megaco.Protocol.Tests.Interop;

/// <summary>Wireshark's expert severities (epan/proto.h PI_*), shifted down to small numbers.</summary>
public enum TsharkSeverity
{
    Comment = 1,
    Chat = 2,
    Note = 4,
    Warning = 6,
    Error = 8,
}

/// <summary>
/// One expert item Wireshark attached to a frame. <see cref="Group"/> is the PI_* group shifted down
/// (7 = Malformed, 9 = Protocol, 5 = Undecoded, 17 = Dissector bug).
/// </summary>
public sealed record TsharkExpertInfo(TsharkSeverity Severity, int Group, string Message)
{
    public const int MalformedGroup = 7;

    public override string ToString() => $"{Severity}: {Message}";
}
