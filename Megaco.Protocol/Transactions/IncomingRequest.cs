using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>A transaction request to execute, with who sent it and in which protocol version.</summary>
public sealed record IncomingRequest(MegacoEndpoint Peer, MId PeerMId, int Version, TransactionRequest Request);
