namespace Megaco.Protocol.Transport;

/// <summary>One message as received, with the endpoint it came from (the one to answer).</summary>
public readonly record struct ReceivedMessage(MegacoEndpoint Peer, ReadOnlyMemory<byte> Message);
