namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// A message's end-line, valid only during the handler call. <see cref="Wire"/> is every byte the framer
/// consumed for it: <c>-------tid</c>, flag and CRLF, preceded by the CRLF that closes the body when
/// the message has one (RFC 4975 §9: <c>data CRLF end-line</c>).
/// </summary>
public readonly ref struct MsrpEndLine
{
    public MsrpEndLine(MsrpEndFlag flag, ReadOnlySpan<byte> transactionId, ReadOnlySpan<byte> wire)
    {
        Flag = flag;
        TransactionId = transactionId;
        Wire = wire;
    }

    public MsrpEndFlag Flag { get; }

    public ReadOnlySpan<byte> TransactionId { get; }

    public ReadOnlySpan<byte> Wire { get; }
}
