using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Transactions;

/// <summary>
/// The answers H.248.1 §8.2.2 and H.248.8 prescribe for input that cannot be executed: a message-level
/// Error descriptor when no transaction can be recovered (400, 406), a transaction reply with an Error
/// descriptor for each broken transaction request (403 with its id), and a reply with a given error
/// for a request that was read but will not be executed.
/// </summary>
public static class ErrorReplies
{
    /// <summary>
    /// The message to send back for a read result with errors, or null when there is nothing to answer
    /// (errors only in replies or acks, which are never answered).
    /// </summary>
    public static MegacoMessage? ForReadResult(MegacoReadResult result, int version, MId ownMId)
    {
        if (result.Error is { } error)
        {
            // H.248.1 §11.3: a 406 is sent in the highest version the sender supports.
            return MegacoMessage.WithError(version, ownMId, Describe(error));
        }
        var replies = new List<Transaction>();
        foreach (var transactionError in result.TransactionErrors)
        {
            if (transactionError.TransactionId is { } id && transactionError.Code != H248ErrorCode.SyntaxErrorInMessage)
            {
                replies.Add(Reply(id, transactionError.Code, Describe(transactionError).Text));
            }
        }
        return replies.Count == 0 ? null : new MegacoMessage(version, ownMId, new ValueList<Transaction>(replies.ToArray()));
    }

    public static TransactionReply Reply(uint transactionId, H248ErrorCode code, string? text) =>
        new(transactionId, ValueList<ActionReply>.Empty, new ErrorDescriptor((ushort)code, text));

    /// <summary>The error text carries the place of the fault, so the peer can find it (quoted strings cannot hold '"').</summary>
    private static ErrorDescriptor Describe(SyntaxError error) =>
        new((ushort)error.Code, $"{error.Reason} at line {error.Line} column {error.Column}, expected {error.Expected}".Replace('"', '\''));
}
