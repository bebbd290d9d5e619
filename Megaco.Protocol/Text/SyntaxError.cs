using Megaco.Protocol.Errors;

namespace Megaco.Protocol.Text;

/// <summary>
/// Where and why a text message could not be read: the H.248.8 code to answer with, the reason,
/// the 1-based line and column and the 0-based byte offset of the fault, what the grammar expected
/// there (an Annex B rule name), and the transaction id when one could be recovered (for 403).
/// </summary>
public sealed record SyntaxError(
    H248ErrorCode Code,
    string Reason,
    int Line,
    int Column,
    int Offset,
    string Expected,
    uint? TransactionId = null)
{
    public override string ToString() => $"{Line}:{Column}: error {(int)Code}: {Reason}";
}
