using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text;

/// <summary>
/// The outcome of reading one message. <see cref="Error"/> is set when the message as a whole could
/// not be read (400, 406 ...); then <see cref="Message"/> is null. Otherwise <see cref="Message"/> holds
/// every transaction that decoded, and <see cref="TransactionErrors"/> one 403 error per broken
/// transaction request (with its id where it could be recovered).
/// </summary>
public readonly record struct MegacoReadResult(MegacoMessage? Message, SyntaxError? Error, ValueList<SyntaxError> TransactionErrors)
{
    public bool IsSuccess => Message is not null && Error is null && TransactionErrors.IsEmpty;

    /// <summary>The error nearest the start of the message, or null.</summary>
    public SyntaxError? FirstError
    {
        get
        {
            var first = Error;
            foreach (var error in TransactionErrors)
            {
                if (first is null || error.Offset < first.Offset)
                {
                    first = error;
                }
            }
            return first;
        }
    }
}
