using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text;

/// <summary>The protocol version and sender of a message, as its header states them (H.248.1 Annex B.2 message).</summary>
public readonly record struct MessageHeader(int Version, MId MId);
