using Megaco.Protocol.Errors;

namespace Megaco.Protocol.Text.Reader;

/// <summary>A broken transaction found while the rest of the message was still read (H.248.1 §8.2.2).</summary>
internal readonly record struct TransactionFault(int Offset, string Expected, string Reason, H248ErrorCode Code, uint? TransactionId);
