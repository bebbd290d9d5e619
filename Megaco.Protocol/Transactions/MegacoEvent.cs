using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Transactions;

/// <summary>A notable event on the association with <see cref="Peer"/>.</summary>
public sealed record MegacoEvent(MegacoEventKind Kind, MegacoEndpoint Peer, string Detail);
