using System.Net;

namespace Megaco.Mg.DataPath;

/// <summary>
/// Decides which source may connect to a termination's listening port. With latching (IP NAPT traversal,
/// for a UE behind NAT whose SDP address is not the one its packets come from) the first source is admitted
/// and remembered; afterwards only its address is. Without latching only the Remote descriptor's address
/// is admitted. This acts on connections, not bytes, so it is a policy of <see cref="TcpBearer"/> and
/// not a data path stage.
/// </summary>
public sealed class LatchingPolicy
{
    private readonly IPAddress? _expected;
    private IPEndPoint? _latched;

    private LatchingPolicy(bool latching, IPAddress? expected)
    {
        IsLatching = latching;
        _expected = expected;
    }

    /// <summary>Latch onto the first source, whatever its address.</summary>
    public static LatchingPolicy Latch() => new(latching: true, expected: null);

    /// <summary>
    /// Admit only <paramref name="remote"/>. Its port is not compared: an active endpoint's SDP carries
    /// port 9 and its real source port is ephemeral (RFC 4145 §4.1).
    /// </summary>
    public static LatchingPolicy ExpectRemote(IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return new(latching: false, expected: remote);
    }

    public bool IsLatching { get; }

    /// <summary>The source address latched onto, reported to the MGC by audit and event; null before the first connection.</summary>
    public IPEndPoint? LatchedEndPoint => Volatile.Read(ref _latched);

    /// <summary>Whether a connection from <paramref name="source"/> may be kept; the first admitted one latches.</summary>
    public bool TryAdmit(IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!IsLatching)
        {
            return Normalize(source.Address).Equals(Normalize(_expected!));
        }
        var latched = Interlocked.CompareExchange(ref _latched, source, null) ?? source;
        return Normalize(latched.Address).Equals(Normalize(source.Address));
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
