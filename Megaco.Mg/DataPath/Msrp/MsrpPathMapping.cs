using System.Text;

namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// Which MSRP URIs in To-Path and From-Path become which, for one direction of a B2BUA relay: typically the
/// MG's own URI on the receiving leg becomes the far peer's, and the sending peer's becomes the MG's own
/// on the other leg, each with its leg's scheme (<c>msrps</c> over TLS, <c>msrp</c> over TCP). URIs with
/// no entry pass unchanged. Immutable.
/// </summary>
public sealed class MsrpPathMapping
{
    private readonly byte[][] _from;
    private readonly byte[][] _to;

    public MsrpPathMapping(IEnumerable<KeyValuePair<string, string>> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        var from = new List<byte[]>();
        var to = new List<byte[]>();
        foreach (var (key, value) in uris)
        {
            from.Add(Validate(key));
            to.Add(Validate(value));
        }
        _from = [.. from];
        _to = [.. to];
    }

    /// <summary>
    /// The mapping for messages that arrive on <paramref name="arrival"/> and leave on <paramref name="departure"/>,
    /// as the Iq contract has it for MSRP-aware mode: the arrival leg's Local URI (the To-Path the peer
    /// addressed to the MG) becomes the departure leg's Remote URI, and the arrival leg's Remote URI (the
    /// peer's own, in From-Path) becomes the departure leg's Local URI, each with its leg's scheme. The same
    /// mapping serves responses and REPORTs travelling that way, whose To-Path and From-Path swap roles.
    /// </summary>
    public static MsrpPathMapping Between(MsrpLegPaths arrival, MsrpLegPaths departure)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        ArgumentNullException.ThrowIfNull(departure);
        return new MsrpPathMapping(
        [
            KeyValuePair.Create(arrival.LocalUri, departure.RemoteUri),
            KeyValuePair.Create(arrival.RemoteUri, departure.LocalUri),
        ]);
    }

    /// <summary>No rewriting: the relay is byte-transparent (the CEMA case, RFC 6714).</summary>
    public static MsrpPathMapping Empty { get; } = new([]);

    public bool IsEmpty => _from.Length == 0;

    /// <summary>The replacement for <paramref name="uri"/>, compared as RFC 4975 §6.1 compares MSRP URIs.</summary>
    public bool TryMap(ReadOnlySpan<byte> uri, out ReadOnlySpan<byte> replacement)
    {
        for (int i = 0; i < _from.Length; i++)
        {
            if (UrisEqual(_from[i], uri))
            {
                replacement = _to[i];
                return true;
            }
        }
        replacement = default;
        return false;
    }

    /// <summary>
    /// RFC 4975 §6.1: scheme, authority and transport compare case-insensitively; the session-id, the path
    /// segment before the first ';', compares exactly.
    /// </summary>
    internal static bool UrisEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        if (a.SequenceEqual(b))
        {
            return true;
        }
        int authorityEnd = AuthorityEnd(a);
        if (authorityEnd != AuthorityEnd(b) || !Ascii.EqualsIgnoreCase(a[..authorityEnd], b[..authorityEnd]))
        {
            return false;
        }
        ReadOnlySpan<byte> restA = a[authorityEnd..];
        ReadOnlySpan<byte> restB = b[authorityEnd..];
        int sessionEnd = restA.IndexOf((byte)';');
        if (sessionEnd < 0 || sessionEnd != restB.IndexOf((byte)';'))
        {
            return restA.SequenceEqual(restB);
        }
        return restA[..sessionEnd].SequenceEqual(restB[..sessionEnd])
            && Ascii.EqualsIgnoreCase(restA[sessionEnd..], restB[sessionEnd..]);
    }

    private static int AuthorityEnd(ReadOnlySpan<byte> uri)
    {
        int schemeEnd = uri.IndexOf("://"u8);
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int end = uri[start..].IndexOfAny((byte)'/', (byte)';');
        return end < 0 ? uri.Length : start + end;
    }

    private static byte[] Validate(string uri) => Encoding.ASCII.GetBytes(ValidateUri(uri, nameof(uri)));

    /// <summary>Returns <paramref name="uri"/> if it has the shape of one MSRP URI; throws <see cref="ArgumentException"/> otherwise.</summary>
    internal static string ValidateUri(string uri, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(uri, parameterName);
        // RFC 4975 §9: MSRP-URI = msrp-scheme "://" authority ["/" session-id] ";" transport *( ";" URI-parameter )
        if (!(uri.StartsWith("msrp://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("msrps://", StringComparison.OrdinalIgnoreCase))
            || !uri.Contains(';', StringComparison.Ordinal)
            || !Ascii.IsValid(uri)
            || uri.Any(c => c <= ' ' || c == '\x7F'))
        {
            throw new ArgumentException($"'{uri}' is not an MSRP URI (msrp[s]://authority[/session-id];transport)", parameterName);
        }
        return uri;
    }
}
