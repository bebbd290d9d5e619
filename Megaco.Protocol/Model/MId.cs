namespace Megaco.Protocol.Model;

public enum MIdKind : byte
{
    /// <summary><c>[192.0.2.1]</c> with optional <c>:port</c>.</summary>
    IPv4,
    /// <summary><c>[2001:db8::1]</c> with optional <c>:port</c>.</summary>
    IPv6,
    /// <summary><c>&lt;domain.name&gt;</c> with optional <c>:port</c>.</summary>
    DomainName,
    /// <summary>A pathNAME with no brackets.</summary>
    DeviceName,
    /// <summary><c>MTP{hex}</c>.</summary>
    MtpAddress,
}

/// <summary>
/// Message identifier of the sender (H.248.1 Annex B mId). <see cref="Address"/> holds the text
/// inside the brackets (address, domain name, device name, or MTP hex digits) as written.
/// </summary>
public sealed record MId(MIdKind Kind, string Address, ushort? Port = null)
{
    public static MId IPv4(string address, ushort? port = null) => new(MIdKind.IPv4, address, port);

    public static MId IPv6(string address, ushort? port = null) => new(MIdKind.IPv6, address, port);

    public static MId Domain(string name, ushort? port = null) => new(MIdKind.DomainName, name, port);

    public static MId Device(string name) => new(MIdKind.DeviceName, name);

    public static MId Mtp(string hex) => new(MIdKind.MtpAddress, hex);
}
