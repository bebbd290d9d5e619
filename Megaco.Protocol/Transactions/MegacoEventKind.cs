namespace Megaco.Protocol.Transactions;

public enum MegacoEventKind : byte
{
    /// <summary>A message from the peer could not be read; it was answered with the error H.248.8 gives it.</summary>
    SyntaxError,

    /// <summary>The peer answered one of our messages with a message-level error descriptor.</summary>
    MessageRefused,

    /// <summary>A message to the peer could not be sent.</summary>
    SendFailed,

    /// <summary>The connection to the peer was lost (TCP); requests outstanding on it have failed.</summary>
    ConnectionLost,
}
