namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// A parsed request or response line, valid only during the handler call. <see cref="Line"/> is the
/// wire text without its CRLF; the other members are slices of it.
/// </summary>
public readonly ref struct MsrpStartLine
{
    public MsrpStartLine(ReadOnlySpan<byte> line, ReadOnlySpan<byte> transactionId, bool isResponse, ReadOnlySpan<byte> methodOrStatus)
    {
        Line = line;
        TransactionId = transactionId;
        IsResponse = isResponse;
        MethodOrStatus = methodOrStatus;
    }

    public ReadOnlySpan<byte> Line { get; }

    public ReadOnlySpan<byte> TransactionId { get; }

    public bool IsResponse { get; }

    /// <summary>The method of a request (<c>SEND</c>, <c>REPORT</c>, …) or the three-digit status of a response.</summary>
    public ReadOnlySpan<byte> MethodOrStatus { get; }
}
