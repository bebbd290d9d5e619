namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// Bounds on what <see cref="MsrpFramer"/> buffers. RFC 4975 §9 bounds only the transact-id; the other
/// defaults name whose value they copy. Bodies are never buffered, so no body size appears here.
/// </summary>
public sealed class MsrpLimits
{
    /// <summary>RFC 4975 §9: <c>transact-id = ident</c>, <c>ident = ALPHANUM 3*31ident-char</c>.</summary>
    public const int RfcMaxTransactionIdLength = 32;

    /// <summary>RFC 4975 §9: the shortest ident is <c>ALPHANUM</c> plus three ident-chars.</summary>
    public const int RfcMinTransactionIdLength = 4;

    private int _maxStartLineLength = 256;
    private int _maxHeaderLineLength = 8 * 1024;
    private int _maxHeaderCount = 100;
    private int _maxTransactionIdLength = RfcMaxTransactionIdLength;

    /// <summary>
    /// Longest request or response line without its CRLF. Default 256: <c>MSRP </c>, a 32-character
    /// transact-id, and a method or a status with a comment (our choice; RFC 4975 sets none).
    /// </summary>
    public int MaxStartLineLength
    {
        get => _maxStartLineLength;
        set => _maxStartLineLength = InRange(value, 16, 64 * 1024);
    }

    /// <summary>
    /// Longest header line without its CRLF, and longest rewritten To-Path/From-Path. Default 8 KB, as
    /// nginx's <c>large_client_header_buffers</c>; room for a To-Path through several RFC 4976 relays.
    /// </summary>
    public int MaxHeaderLineLength
    {
        get => _maxHeaderLineLength;
        set => _maxHeaderLineLength = InRange(value, 64, 1024 * 1024);
    }

    /// <summary>Most header lines in one message. Default 100, as Kestrel's <c>MaxRequestHeaderCount</c>.</summary>
    public int MaxHeaderCount
    {
        get => _maxHeaderCount;
        set => _maxHeaderCount = InRange(value, 2, 10_000);
    }

    /// <summary>Longest transact-id. Default and ceiling 32, RFC 4975 §9.</summary>
    public int MaxTransactionIdLength
    {
        get => _maxTransactionIdLength;
        set => _maxTransactionIdLength = InRange(value, RfcMinTransactionIdLength, RfcMaxTransactionIdLength);
    }

    private static int InRange(int value, int min, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
        }
        return value;
    }
}
