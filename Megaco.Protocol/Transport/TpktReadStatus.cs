namespace Megaco.Protocol.Transport;

/// <summary>What <see cref="TpktFramer.TryRead"/> found at the start of the buffer.</summary>
public enum TpktReadStatus : byte
{
    /// <summary>A whole packet: the payload is set and the buffer advanced past it.</summary>
    Frame,

    /// <summary>Not enough bytes yet; nothing consumed.</summary>
    NeedMoreData,

    /// <summary>The header is invalid; the stream cannot be resynchronised and must be closed.</summary>
    Invalid,
}
